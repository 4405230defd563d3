// The shipped templates are precompiled without handlebars' strict mode (a missing field prints
// nothing instead of throwing; see compileOptions). This holds them to the fields the views have:
// every fixture capture, under flags that reach every partial and branch, renders the same with
// the same texts compiled strict (where a field the view lacks throws, naming it).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { readCapture } from '../../src/model/capture.js';
import { defaultConfig } from '../../src/model/config.js';
import { DEFAULT_TEMPLATES_DIR, loadTemplates } from '../../src/publish/template-files.js';
import { renderPage, type RenderOptions } from '../../src/render/capture-page.js';
import { compileTemplates, type TemplateSource, type Templates } from '../../src/render/templates.js';

const DIR = new URL('../fixtures/captures/', import.meta.url);
const cases = readdirSync(DIR).filter((f) => f.endsWith('.jsonl')).sort();

/** The shipped texts, each with a comment line added: no longer the precompiled text, so compiled (strict). */
function strictShipped(): Templates {
  const shipped = loadTemplates();
  const sources: Record<string, TemplateSource> = {};
  for (const [name, path] of Object.entries(shipped.sources)) sources[name] = { path, text: `${readFileSync(path, 'utf8')}{{! compiled, not precompiled }}` };
  return compileTemplates(sources, DEFAULT_TEMPLATES_DIR, { runtime: () => Handlebars, compiler: () => Handlebars });
}

const FLAGS: Array<Partial<RenderOptions>> = [
  {},
  { lang: 'ko', launchJson: true },
  { timings: true, tokens: true, nest: true, secrets: 'label' },
  { images: { full: 'img/full.svg', summary: 'img/summary.svg' }, heading: { title: 'A title', description: 'What it does.' } },
];

describe('shipped templates', () => {
  const precompiled = loadTemplates();
  const strict = strictShipped();

  it.each(cases)('render %s as they do compiled strict, under every flag set', async (file) => {
    const capture = await readCapture(join(DIR.pathname, file));
    for (const flags of FLAGS) {
      const options = (templates: Templates): RenderOptions => ({
        config: defaultConfig(), secrets: 'mask', include: [], exclude: [], lang: 'en', launchJson: false, templates,
        logInclude: 'logs/page.log', images: { full: null, summary: null }, ...flags,
      });
      const expected = renderPage(capture, options(strict)).markdown;
      expect(renderPage(capture, options(precompiled)).markdown, JSON.stringify(flags)).toBe(expected);
    }
  });
});
