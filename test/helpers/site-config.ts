/**
 * The committed mkdocs.yml for a test site built from a few captures: its nav's `Guide` section
 * links pages of the whole repository (the guide, every shipped page), which a temp project does
 * not have; test/site/guide-build.test.ts builds the repository's own docs with the guide.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { editMkdocsConfig, readNav, type NavItem } from '../../src/render/mkdocs-config.js';
import { REPO_ROOT } from './shipped-capture.js';

const isGuide = (item: NavItem): boolean => item.kind === 'section' && item.title === 'Guide';

export function writeConfigWithoutGuide(path: string): void {
  const text = readFileSync(join(REPO_ROOT, 'mkdocs.yml'), 'utf8');
  if (!readNav(text).some(isGuide)) throw new Error('mkdocs.yml has no Guide section in its nav');
  writeFileSync(path, editMkdocsConfig(text, { nav: (current) => current.filter((item) => !isGuide(item)) }));
}
