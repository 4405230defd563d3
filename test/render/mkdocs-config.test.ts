import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import {
  defaultMkdocsConfig,
  editMkdocsConfig,
  mergeNav,
  pageItems,
  readDocsDir,
  readNav,
  renderNav,
  yamlScalar,
  type NavItem,
} from '../../src/render/mkdocs-config.js';
import { REPO_ROOT } from '../helpers/shipped-capture.js';

const NAV = pageItems([
  { title: 'Home', path: 'index.md' },
  { title: 'openstack image create', path: 'openstack-image-create.md' },
]);

/** A user's config: comments everywhere, odd quoting, a python tag, a nav in the middle. */
const USER_CONFIG = `# My team's docs
site_name: 'Platform  docs'   # two spaces, single quotes
docs_dir: docs
theme:
  name: material
  # colours matter to us
  palette: {primary: indigo}
markdown_extensions:
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
nav:
  - Home: index.md   # the front page
  - Guide:
      - guide/intro.md
  - Old capture: old.md
# after the nav
extra:
  team:   platform
`;

/** The text before `nav:` and after the nav block. */
function outsideNav(text: string): [string, string] {
  const start = text.indexOf('\nnav:\n') + 1;
  const after = text.indexOf('# after the nav');
  return [text.slice(0, start), text.slice(after)];
}

describe('mkdocs.yml', () => {
  it('the committed mkdocs.yml is what `flowscribe site` writes, nav aside', () => {
    const committed = readFileSync(join(REPO_ROOT, 'mkdocs.yml'), 'utf8');
    expect(editMkdocsConfig(committed, { nav: () => [] })).toBe(defaultMkdocsConfig('docs', []));
  });

  it('uses its own mermaid fence class, no font request, and local scripts only', () => {
    const config = defaultMkdocsConfig('docs', NAV);
    expect(config).toMatch(/^ {10}class: flowscribe-mermaid$/m);
    expect(config).toMatch(/^ {2}font: false$/m);
    expect(config).toMatch(/^ {6}alternate_style: true$/m);
    expect(config).toMatch(/^ {6}check_paths: true$/m);
    expect(config).not.toMatch(/https?:/);
    expect(config.endsWith('nav:\n  - Home: index.md\n  - openstack image create: openstack-image-create.md\n')).toBe(true);
  });

  it('keeps a config with comments and a !!python/name tag byte-identical outside nav:', () => {
    const tree: NavItem[] = [{ kind: 'section', title: 'OpenStack', items: [{ kind: 'page', title: 'Image create', path: 'openstack/image/create.md' }] }];
    const after = editMkdocsConfig(USER_CONFIG, { nav: (current) => mergeNav(current, (p) => p.startsWith('openstack/'), tree) });
    expect(outsideNav(after)).toEqual(outsideNav(USER_CONFIG));
    expect(after).toContain('!!python/name:pymdownx.superfences.fence_code_format');
    expect(readNav(after)).toEqual([...readNav(USER_CONFIG), ...tree]);
    // Idempotent: the same edit again changes nothing.
    expect(editMkdocsConfig(after, { nav: (current) => mergeNav(current, (p) => p.startsWith('openstack/'), tree) })).toBe(after);
  });

  it('sets site_name and theme.language in place, touching nothing else', () => {
    const after = editMkdocsConfig(USER_CONFIG, { siteName: 'OpenStack flows', language: 'ko' });
    expect(after).toBe(
      USER_CONFIG.replace("'Platform  docs'", 'OpenStack flows').replace('  name: material\n', '  language: ko\n  name: material\n'),
    );
    const again = editMkdocsConfig(after, { siteName: 'yes', language: 'en' });
    expect(again).toBe(after.replace('OpenStack flows', '"yes"').replace('language: ko', 'language: en'));
    expect(editMkdocsConfig('theme: material\n', { language: 'ko' })).toBe('theme: { name: material, language: ko }\n');
    expect(editMkdocsConfig('docs_dir: docs', { siteName: 'x', language: 'en' })).toBe('site_name: x\ndocs_dir: docs\ntheme:\n  name: material\n  language: en\n');
  });

  it('replaces only the site\'s own entries, keeping sections of other writers', () => {
    const ours = (p: string) => !p.includes('/');
    const merged = mergeNav(readNav(USER_CONFIG), ours, NAV);
    expect(merged).toEqual([...NAV, { kind: 'section', title: 'Guide', items: [{ kind: 'page', title: null, path: 'guide/intro.md' }] }]);
  });

  it('appends a nav when there is none, and is idempotent', () => {
    const once = editMkdocsConfig('site_name: x\ntheme:\n  name: material', { nav: () => NAV });
    expect(once).toMatch(/^site_name: x\ntheme:\n {2}name: material\n# Written by flowscribe.*\nnav:\n {2}- Home: index.md\n/);
    expect(editMkdocsConfig(once, { nav: () => NAV })).toBe(once);
  });

  it('writes nav titles mkdocs (PyYAML, YAML 1.1) reads back as the same strings', () => {
    expect(yamlScalar('openstack image create')).toBe('openstack image create');
    for (const title of ['yes', 'on', 'No', '2022', '1.0', 'curl https://x: y', '이미지', '# not a comment']) {
      const nav = renderNav([{ kind: 'page', title, path: 'a.md' }]);
      expect(parseDocument(nav, { version: '1.1' }).toJS()).toEqual({ nav: [{ [title]: 'a.md' }] });
    }
  });

  it('reads docs_dir, defaulting to docs', () => {
    expect(readDocsDir('site_name: x\n')).toBe('docs');
    expect(readDocsDir('docs_dir: site-docs # here\n')).toBe('site-docs');
    expect(readDocsDir('docs_dir: "my docs"\n')).toBe('my docs');
  });

  it('names the file when the config is not YAML', () => {
    expect(() => editMkdocsConfig('nav: [\n', { nav: () => NAV }, 'site.yml')).toThrow(/^site\.yml: not valid YAML/);
  });
});
