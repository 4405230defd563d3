import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultMkdocsConfig, readDocsDir, renderNav, replaceNav, yamlString } from '../../src/render/mkdocs-config.js';
import { REPO_ROOT } from '../helpers/shipped-capture.js';

const NAV = [
  { title: 'Home', path: 'index.md' },
  { title: 'openstack image create', path: 'openstack-image-create.md' },
];

describe('mkdocs.yml', () => {
  it('the committed mkdocs.yml is what `flowscribe site` writes, nav aside', () => {
    const committed = readFileSync(join(REPO_ROOT, 'mkdocs.yml'), 'utf8');
    expect(replaceNav(committed, [])).toBe(defaultMkdocsConfig('docs', []));
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

  it('replaces only the nav block, keeping keys and comments after it', () => {
    const before = 'site_name: mine\nnav:\n  - Old: old.md\n  - Section:\n      - a: a.md\n\n# my comment\nextra:\n  x: 1\n';
    const after = replaceNav(before, NAV);
    expect(after).toBe(`site_name: mine\n${renderNav(NAV)}\n# my comment\nextra:\n  x: 1\n`);
  });

  it('is idempotent and appends a nav when there is none', () => {
    const once = replaceNav('site_name: x\ntheme:\n  name: material', NAV);
    expect(once).toBe(`site_name: x\ntheme:\n  name: material\n${renderNav(NAV)}`);
    expect(replaceNav(once, NAV)).toBe(once);
  });

  it('quotes titles YAML would misread', () => {
    expect(yamlString('openstack image create')).toBe('openstack image create');
    expect(yamlString('yes')).toBe('"yes"');
    expect(yamlString('2022')).toBe('"2022"');
    expect(yamlString('curl https://x: y')).toBe('"curl https://x: y"');
    expect(yamlString('이미지')).toBe('"이미지"');
  });

  it('reads docs_dir, defaulting to docs', () => {
    expect(readDocsDir('site_name: x\n')).toBe('docs');
    expect(readDocsDir('docs_dir: site-docs # here\n')).toBe('site-docs');
    expect(readDocsDir('docs_dir: "my docs"\n')).toBe('my docs');
  });
});
