import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { DEFAULT_TEMPLATES_DIR, loadTemplates, precompiledTemplatesSource } from '../../src/publish/template-files.js';
import { compileTemplates, type HandlebarsEngines, type Templates, type TemplateSource } from '../../src/render/templates.js';
import { collectChunks } from '../../src/render/text-chunks.js';
import { REPO_ROOT } from '../helpers/shipped-capture.js';

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

  it('names the file of a template that uses a helper handlebars does not have, when loading it', () => {
    const dir = overrideDir({ 'partials/arrow.md.hbs': '### {{upper label}}\n' });
    expect(() => loadTemplates(dir)).toThrow(UserError);
    expect(() => loadTemplates(dir)).toThrow(`${join(dir, 'partials/arrow.md.hbs')}: not a valid handlebars template (unknown helper upper - 1:4)`);
  });

  it('rejects an override directory without templates, as a usage error', () => {
    const dir = overrideDir({});
    expect(() => loadTemplates(dir)).toThrow(/no page\.md\.hbs or partials/);
    expect(() => loadTemplates(join(dir, 'missing'))).toThrow(/not a directory/);
  });
});

describe('precompiled shipped templates', () => {
  const names = ['page', 'partials/arrow', 'partials/command', 'partials/diagram', 'partials/launch-json', 'partials/logs', 'partials/output', 'partials/variables', 'partials/waterfall'];
  const shipped = (): Record<string, TemplateSource> =>
    Object.fromEntries(names.map((n) => { const path = join(DEFAULT_TEMPLATES_DIR, `${n}.md.hbs`); return [n, { path, text: readFileSync(path, 'utf8') }]; }));
  /** Engines that say which one was asked for. */
  const engines = (asked: string[]): HandlebarsEngines => ({
    runtime: () => { asked.push('runtime'); return Handlebars; },
    compiler: () => { asked.push('compiler'); return Handlebars; },
  });
  const view = { title: 't', description: null, command: null, launchJson: null, empty: true, labels: { emptyCapture: 'nothing' }, output: null };

  it('are what the templates compile to now (run `npm run generate` after changing a template)', () => {
    const committed = readFileSync(join(REPO_ROOT, 'src/render/precompiled-templates.ts'), 'utf8');
    expect(committed === precompiledTemplatesSource(), 'src/render/precompiled-templates.ts is stale: npm run generate').toBe(true);
  });

  it('name a missing field and its place once any template is edited (strict); the shipped set as shipped is not strict', () => {
    const render = (engine: 'runtime' | 'compiler') => {
      const sources = shipped();
      // One character more: no longer the precompiled text, so every template is compiled now.
      if (engine === 'compiler' && sources.page) sources.page = { ...sources.page, text: `${sources.page.text}\n` };
      const templates = compileTemplates(sources, DEFAULT_TEMPLATES_DIR, engines([]));
      const arrow = { n: 1, label: 'GET /', notice: null, timing: null, header: { fence: '```', title: 'GET /', text: '' }, body: { fence: '```', lang: 'json' } };
      try {
        return templates.page({ ...view, empty: false, labels: { intro: 'i', diagramHeading: 'd' }, background: false, variables: [], summary: null, full: { mermaid: 'm', image: null }, waterfall: null, tokens: null, arrows: [arrow], logs: { title: 'l', path: 'p', fence: '```' } });
      } catch (err) {
        return (err as Error).message;
      }
    };
    expect(render('compiler')).toMatch(/^"text" not defined in \[object Object\] - \d+:\d+$/);
    // Its fields are held to the views by test/render/shipped-fields.test.ts instead.
    expect(render('runtime')).toContain('=== "Body"\n    ``` json title="" linenums="1"\n    \n    ```\n');
  });

  it('render the shipped templates with the runtime alone, and anything else with the compiler', () => {
    const asked: string[] = [];
    expect(compileTemplates(shipped(), DEFAULT_TEMPLATES_DIR, engines(asked)).page(view)).toBe('# t\n\nnothing\n\n');
    expect(asked).toEqual(['runtime']);
    const edited = { ...shipped(), page: { path: 'edited', text: '# {{title}}!\n' } };
    expect(compileTemplates(edited, DEFAULT_TEMPLATES_DIR, engines(asked)).page(view)).toBe('# t!\n');
    expect(asked).toEqual(['runtime', 'compiler']);
  });
});

/** The page as the chunks `pageTo` hands out. */
const pageChunks = (templates: Templates, view: object): string[] => collectChunks((sink) => templates.pageTo(view, sink));

describe('each', () => {
  // Our `each` joins its items in chunks (text-chunks.ts); what it prints must be handlebars' own.
  const sources = (text: string): Record<string, TemplateSource> => ({ page: { path: 'page', text }, 'partials/item': { path: 'item', text: '[{{@index}}{{#if @first}}F{{/if}}{{#if @last}}L{{/if}} {{this}}]' } });
  const engines: HandlebarsEngines = { runtime: () => Handlebars, compiler: () => Handlebars };
  const cases: Array<[string, object]> = [
    ['{{#each items}}<{{> item}}>\n{{/each}}end', { items: ['a', 'b', 'c'] }],
    ['{{#each items}}<{{> item}}>{{else}}none{{/each}}!', { items: [] }],
    ['{{#each items}}<{{> item}}>{{else}}none{{/each}}!', { items: ['x'] }],
    ['{{#each items}}{{@key}}={{this}};{{/each}}', { items: { k: 'v', l: 'w' } }],
    ['{{#each items}}{{#each this}}({{this}}){{/each}}|{{/each}}', { items: [['a', 'b'], [], ['c']] }],
    ['{{#each items as |x i|}}{{i}}:{{x}} {{/each}}', { items: Array.from({ length: 30000 }, (_, i) => `item ${i}`) }],
  ];

  it.each(cases)('prints what handlebars prints: %s', (text, view) => {
    const env = Handlebars.create();
    env.registerPartial('item', env.compile(sources(text)['partials/item']?.text ?? '', { noEscape: true }));
    const expected = env.compile(text, { noEscape: true })(view);
    expect(compileTemplates(sources(text), 'here', engines).page(view)).toBe(expected);
    // The page as its chunks (its lists never joined into it) is the same text.
    expect(pageChunks(compileTemplates(sources(text), 'here', engines), view).join('')).toBe(expected);
  });

  it("keeps an outermost list's chunks as chunks of the page, the text around them as its own", () => {
    const templates = compileTemplates(sources('head|{{#each items}}{{this}}{{/each}}|{{#each none}}x{{/each}}tail'), 'here', engines);
    const items = Array.from({ length: 5000 }, (_, i) => `${String(i).padStart(20, '.')};`);
    const chunks = pageChunks(templates, { items, none: [] });
    expect(chunks.join('')).toBe(`head|${items.join('')}|tail`);
    expect(chunks[0]).toBe('head|');
    expect(chunks.slice(-2)).toEqual(['|', 'tail']); // an empty list is a mark of its own
    expect(chunks.length).toBeGreaterThan(3); // 105,000 characters, in chunks of 32 Ki
  });

  it('makes an outermost list while the page is written: its first chunks are out before its last item is made', () => {
    const templates = compileTemplates(sources('head|{{#each items}}{{this}}{{/each}}|tail'), 'here', engines);
    let made = 0;
    const items = new Proxy(Array.from({ length: 5000 }, (_, i) => `${String(i).padStart(20, '.')};`), {
      get: (target, key, receiver) => {
        if (typeof key === 'string' && /^\d+$/.test(key)) made = Math.max(made, Number(key) + 1);
        return Reflect.get(target, key, receiver);
      },
    });
    const madeWhenOut: number[] = [];
    templates.pageTo({ items }, () => madeWhenOut.push(made));
    expect(madeWhenOut[0]).toBe(0); // `head|`: before any item
    expect(madeWhenOut[1]).toBeLessThan(5000); // the list's first chunk: before its last item
    expect(madeWhenOut.at(-1)).toBe(5000);
  });

  it('gives the same chunks text when captured text outside a list looks like a list mark', () => {
    const templates = compileTemplates(sources('{{title}}|{{#each items}}<{{this}}>{{/each}}|{{#each items}}{{this}}{{/each}}'), 'here', engines);
    for (const title of ['\u00000\u0000', '\u00001\u0000', '\u0000', '\u00009x\u0000', 'plain']) {
      const view = { title, items: ['a', '\u00000\u0000', 'b'] };
      expect(pageChunks(templates, view).join(''), JSON.stringify(title)).toBe(templates.page(view));
    }
  });
});

