/**
 * Renderer goldens: every `test/fixtures/captures/<case>.jsonl` renders to its sibling `<case>.md`
 * (page), `<case>.mmd` (full diagram) and `<case>.log` (raw log). Regenerate with
 * `npm run golden:update` and review the diffs like code.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCapture } from '../../src/model/capture.js';
import { defaultConfig } from '../../src/model/config.js';
import { renderPage, type RenderOptions } from '../../src/render/capture-page.js';
import { loadTemplates } from '../../src/publish/template-files.js';

const DIR = new URL('../fixtures/captures/', import.meta.url);
const cases = readdirSync(DIR).filter((f) => f.endsWith('.jsonl')).map((f) => f.slice(0, -'.jsonl'.length)).sort();
const templates = loadTemplates();

/** The reference case renders as the reference page was written: Korean, with launch.json. */
function optionsFor(name: string): RenderOptions {
  const reference = name === 'openstack-image-create-reference';
  return {
    config: defaultConfig(),
    secrets: 'mask',
    include: [],
    exclude: [],
    lang: reference ? 'ko' : 'en',
    launchJson: reference,
    templates,
    logInclude: `logs/${name}.log`,
    images: { full: null, summary: null },
  };
}

describe('renderer goldens', () => {
  it('has the named cases', () => {
    expect(cases).toEqual(
      expect.arrayContaining(['openstack-image-create-reference', 'service-to-service', 'upstream-refused', 'killed-mid-run', 'binary-body', 'password-masked', 'empty-capture', 'http-generic']),
    );
  });

  it('ships the reference fixture as the example capture (captures/), byte for byte', () => {
    const shipped = new URL('../../captures/openstack-image-create-reference.jsonl', import.meta.url);
    expect(readFileSync(shipped, 'utf8')).toBe(readFileSync(new URL('openstack-image-create-reference.jsonl', DIR), 'utf8'));
  });

  for (const name of cases) {
    it(`renders ${name} as pinned`, async () => {
      const page = renderPage(await readCapture(new URL(`${name}.jsonl`, DIR).pathname), optionsFor(name));
      const outputs: Array<[string, string]> = [['md', page.markdown], ['mmd', page.diagrams.full], ['log', page.log]];
      for (const [ext, text] of outputs) {
        const golden = new URL(`${name}.${ext}`, DIR).pathname;
        // Locally vitest would write a missing golden and pass; only golden:update may create one.
        if (!process.env.GOLDEN_UPDATE) expect(existsSync(golden), `${golden} is missing: run npm run golden:update`).toBe(true);
        await expect(text).toMatchFileSnapshot(golden);
      }
    });
  }
});
