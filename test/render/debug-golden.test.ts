/**
 * Goldens of the debugging views, from real lab recordings (test/fixtures/lab-runs, recorded with
 * lab/record; see test/fixtures/README.md): the diff page of a warm vs a cold image create, a page
 * with --timings and its waterfall, a page with a transport failure and a 404, the token view, and
 * a shell script running two programs. Regenerate with `npm run golden:update`.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCapture } from '../../src/model/capture.js';
import { defaultConfig } from '../../src/model/config.js';
import type { Capture } from '../../src/model/exchange.js';
import { alignFlows } from '../../src/model/flow-alignment.js';
import { buildTimeline } from '../../src/model/timeline.js';
import { buildTokenView } from '../../src/model/token-view.js';
import { renderPage, type RenderOptions } from '../../src/render/capture-page.js';
import { renderDiffPage, renderDiffSummary, type DiffSide } from '../../src/render/diff-view.js';
import { loadTemplates } from '../../src/render/templates.js';
import { renderTokenSection, renderTokenText } from '../../src/render/token-section.js';

const RUNS = new URL('../fixtures/lab-runs/', import.meta.url);
const OUT = new URL('../fixtures/debug/', import.meta.url);
const templates = loadTemplates();

const load = (name: string): Promise<Capture> => readCapture(new URL(`${name}.jsonl`, RUNS).pathname);

function options(name: string, extra: Partial<RenderOptions> = {}): RenderOptions {
  return {
    config: defaultConfig(), secrets: 'mask', include: [], exclude: [], lang: 'en', launchJson: false,
    templates, logInclude: `logs/${name}.log`, images: { full: null, summary: null }, ...extra,
  };
}

async function pin(file: string, text: string): Promise<void> {
  const golden = new URL(file, OUT).pathname;
  if (!process.env.GOLDEN_UPDATE) expect(existsSync(golden), `${golden} is missing: run npm run golden:update`).toBe(true);
  await expect(text).toMatchFileSnapshot(golden);
}

function side(name: string, capture: Capture, page: string): DiffSide {
  const timeline = buildTimeline(capture, { config: defaultConfig(), secrets: 'label', view: 'full', include: [], exclude: [] });
  return { name: `${name}.jsonl`, command: capture.header.argv?.join(' ') ?? null, timeline, page };
}

describe('debugging goldens (real lab recordings)', () => {
  it('diff page and summary: warm vs cold glance image create', async () => {
    const a = side('image-create-warm', await load('image-create-warm'), 'warm-vs-cold-a.md');
    const b = side('image-create-cold', await load('image-create-cold'), 'warm-vs-cold-b.md');
    const alignment = alignFlows(a.timeline.arrows, b.timeline.arrows, { ignoreHeaders: [], timeThresholdMs: null });
    // The warm glance-api still holds its service tokens: the cold run adds glance's two token fetches.
    expect(alignment.counts).toMatchObject({ added: 8, removed: 0, changed: 0 });
    await pin('warm-vs-cold.md', renderDiffPage({ a, b, alignment }));
    await pin('warm-vs-cold.txt', renderDiffSummary({ a, b, alignment }));
  });

  it('page with --timings: timing lines, durations on arrows, the waterfall', async () => {
    const page = renderPage(await load('image-create-cold'), options('image-create-cold-timings', { timings: true }));
    expect(page.markdown).toContain('``` mermaid\ngantt\n');
    await pin('image-create-cold-timings.md', page.markdown);
  });

  it('page with a transport failure and a 404', async () => {
    const page = renderPage(await load('failures'), options('failures'));
    await pin('failures.md', page.markdown);
    await pin('failures.mmd', page.diagrams.full);
  });

  it('token view: page section and terminal text', async () => {
    const capture = await load('image-create-cold');
    const timeline = buildTimeline(capture, { config: defaultConfig(), secrets: 'mask', view: 'full', include: [], exclude: [] });
    const tokens = buildTokenView(capture, timeline.arrows);
    const labels = new Map(timeline.arrows.map((x) => [x.n, x.label]));
    await pin('image-create-cold-tokens.md', renderTokenSection(tokens, (n) => labels.get(n) ?? ''));
    await pin('image-create-cold-tokens.txt', renderTokenText(tokens));
    const page = renderPage(capture, options('image-create-cold-tokens', { tokens: true }));
    expect(page.markdown).toContain(renderTokenSection(tokens, (n) => labels.get(n) ?? ''));
  });

  it('a shell script running two programs: one participant each, the script as title', async () => {
    const page = renderPage(await load('two-programs'), options('two-programs'));
    await pin('two-programs.md', page.markdown);
  });
});
