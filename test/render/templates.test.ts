import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { loadTemplates } from '../../src/render/templates.js';

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function overrideDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'flowscribe-tpl-'));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('loadTemplates', () => {
  it('loads the shipped page and partials', () => {
    const { sources } = loadTemplates();
    expect(Object.keys(sources).sort()).toEqual([
      'page', 'partials/arrow', 'partials/command', 'partials/diagram', 'partials/launch-json', 'partials/logs', 'partials/output', 'partials/variables', 'partials/waterfall',
    ]);
  });

  it('replaces only the files the override directory has', () => {
    const dir = overrideDir({ 'page.md.hbs': '# {{title}}\n' });
    const templates = loadTemplates(dir);
    expect(templates.sources.page).toBe(join(dir, 'page.md.hbs'));
    expect(templates.sources['partials/arrow']).not.toContain(dir);
    expect(templates.page({ title: 'x' })).toBe('# x\n');
  });

  it('throws on a field the view does not have (strict), instead of printing nothing', () => {
    const templates = loadTemplates(overrideDir({ 'page.md.hbs': '# {{titel}}\n' }));
    expect(() => templates.page({ title: 'x' })).toThrow(/titel/);
  });

  it('does not HTML-escape (the output is Markdown)', () => {
    const templates = loadTemplates(overrideDir({ 'page.md.hbs': '{{title}}' }));
    expect(templates.page({ title: '<a & "b">' })).toBe('<a & "b">');
  });

  it('names the file of a template with a syntax error', () => {
    const dir = overrideDir({ 'partials/arrow.md.hbs': '{{#each arrows}}\n' });
    expect(() => loadTemplates(dir)).toThrow(UserError);
    expect(() => loadTemplates(dir)).toThrow(new RegExp(`${join(dir, 'partials/arrow.md.hbs')}: not a valid handlebars template`));
  });

  it('rejects an override directory without templates, as a usage error', () => {
    const dir = overrideDir({});
    expect(() => loadTemplates(dir)).toThrow(/no page\.md\.hbs or partials/);
    expect(() => loadTemplates(join(dir, 'missing'))).toThrow(/not a directory/);
  });
});
