/**
 * The committed mkdocs.yml for a test site built from a few captures: its nav's `Guide` section
 * links pages of the whole repository (the guide, every shipped page), which a temp project does
 * not have; test/site/guide-build.test.ts builds the repository's own docs with the guide.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './shipped-capture.js';

export function writeConfigWithoutGuide(path: string): void {
  const lines = readFileSync(join(REPO_ROOT, 'mkdocs.yml'), 'utf8').split('\n');
  const start = lines.findIndex((l) => l === '  - Guide:');
  if (start < 0) throw new Error('mkdocs.yml has no Guide section in its nav');
  let end = start + 1;
  while (end < lines.length && lines[end]?.startsWith('      ')) end += 1;
  writeFileSync(path, [...lines.slice(0, start), ...lines.slice(end)].join('\n'));
}
