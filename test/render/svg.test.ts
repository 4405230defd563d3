/**
 * Diagram images through @mermaid-js/mermaid-cli in Debian's Chromium: the shipped example's
 * rendered diagram becomes an SVG with every numbered message and participant; errors name what
 * to fix (page:line for a mermaid syntax error, the Debian package for a missing Chromium).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { readCapture } from '../../src/model/capture.js';
import { defaultConfig } from '../../src/model/config.js';
import { loadTemplates } from '../../src/publish/template-files.js';
import { renderCaptureFile } from '../../src/publish/output.js';
import { writePageImages } from '../../src/publish/page-images.js';
import { DEBIAN_CHROMIUM } from '../../src/defaults.js';
import { importOptional, openDiagramRenderer, type DiagramRenderer } from '../../src/publish/svg.js';
import { shippedCapture } from '../helpers/shipped-capture.js';

const REFERENCE_PARTICIPANTS = ['openstack-client', 'keystone-api', 'glance-api', 'swift-proxy-server'];

let work: string;
let renderer: DiagramRenderer;
let diagram: string;
let exchanges: number;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'flowscribe-svg-'));
  const capturePath = shippedCapture();
  exchanges = (await readCapture(capturePath)).exchanges.length;
  const page = await renderCaptureFile(capturePath, join(work, 'page.md'), {
    snippetsBase: work,
    images: { full: null, summary: null },
    lang: 'en',
    secrets: 'mask',
    config: defaultConfig(),
    include: [],
    exclude: [],
    launchJson: false,
    templates: loadTemplates(null),
  });
  diagram = page.diagrams.full;
  renderer = await openDiagramRenderer({ chromiumPath: DEBIAN_CHROMIUM }, '--svg');
}, 60_000);

afterAll(async () => {
  await renderer?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Texts of the SVG's `<text class="…cls…">` elements (tspans joined). */
function svgTexts(svg: string, cls: string): string[] {
  const re = new RegExp(`<text[^>]*class="[^"]*\\b${cls}\\b[^"]*"[^>]*>([\\s\\S]*?)</text>`, 'g');
  return [...svg.matchAll(re)].map((m) => (m[1] ?? '').replace(/<[^>]+>/g, '').trim());
}

describe('SVG from mermaid-cli', () => {
  it('holds every numbered message and participant of the example diagram', async () => {
    const svg = Buffer.from(await renderer.render({ definition: diagram, page: 'page.md', view: 'full', firstLine: null }, 'svg')).toString('utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    const numbers = svgTexts(svg, 'sequenceNumber').map(Number);
    expect(numbers).toEqual(Array.from({ length: 2 * exchanges }, (_, i) => i + 1));
    expect(svgTexts(svg, 'messageText')).toHaveLength(2 * exchanges);
    expect(svgTexts(svg, 'messageText')[0]).toMatch(/^GET \//);
    // Each participant is drawn at the top and the bottom of its lifeline.
    expect([...new Set(svgTexts(svg, 'actor'))].sort()).toEqual([...REFERENCE_PARTICIPANTS].sort());
    expect(svgTexts(svg, 'actor')).toHaveLength(2 * REFERENCE_PARTICIPANTS.length);
    expect(svg).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
  });

  it('is deterministic: the same diagram gives the same bytes', async () => {
    const source = { definition: diagram, page: 'page.md', view: 'full', firstLine: null };
    const [a, b] = [await renderer.render(source, 'svg'), await renderer.render(source, 'svg')];
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('writes a page\'s images as PNG too', async () => {
    const page = { path: join(work, 'png-page.md'), markdown: '', diagrams: { full: diagram, summary: 'sequenceDiagram\n  a->>b: hi\n' } };
    const files = await writePageImages(renderer, page, ['png']);
    expect(files.map((f) => f.slice(work.length + 1))).toEqual(['images/png-page.png', 'images/png-page-summary.png']);
    const same = await writePageImages(renderer, { ...page, path: join(work, 'one.md'), diagrams: { full: page.diagrams.summary, summary: page.diagrams.summary } }, ['png']);
    expect(same.map((f) => f.slice(work.length + 1))).toEqual(['images/one.png']);
    for (const f of files) expect(readFileSync(f).subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('names the page and line of a mermaid syntax error', async () => {
    const broken = diagram.replace(/^(\s*\S+)->>(\S+):/m, '$1->>>>$2');
    const brokenLine = broken.split('\n').findIndex((l) => l.includes('->>>>')) + 1;
    const markdown = ['# page', '', '``` mermaid', ...broken.split('\n'), '```', ''].join('\n');
    const page = { path: join(work, 'broken.md'), markdown, diagrams: { full: broken, summary: broken } };
    const error = await writePageImages(renderer, page, ['svg']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(new RegExp(`^${page.path}:${brokenLine + 3}: mermaid syntax error: `));
    expect((error as Error).message).not.toContain('\n');
    // A page rendered with --svg links the image instead of holding the diagram: name the diagram's line.
    const linked = await writePageImages(renderer, { ...page, markdown: '# page\n' }, ['svg']).catch((e: unknown) => e);
    expect((linked as Error).message).toMatch(new RegExp(`^${page.path} \\(full diagram, line ${brokenLine}\\): mermaid syntax error: `));
  });
});

describe('missing parts', () => {
  it('a missing Chromium names the Debian package', async () => {
    const error = await openDiagramRenderer({ chromiumPath: join(work, 'no-chromium') }, '--png').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe(`--png: Chromium not found at ${join(work, 'no-chromium')}`);
    expect((error as UserError).hint).toMatch(/Debian package chromium/);
  });

  it('a missing optional npm package is named', async () => {
    const error = await importOptional('@flowscribe/not-installed-anywhere', '--svg').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe('--svg needs the optional npm package @flowscribe/not-installed-anywhere, which is not installed');
  });
});
