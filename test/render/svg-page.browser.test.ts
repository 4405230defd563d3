/**
 * One page for every diagram of a run (issue 13), in Debian's Chromium: the renderer opens a single
 * page however many diagrams it draws, and each image is the same bytes as mermaid-cli's own
 * `renderMermaid` (a fresh page per diagram) gives for it — SVG and PNG, in any order, after a
 * syntax error too.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEBIAN_CHROMIUM } from '../../src/defaults.js';
import { CHROMIUM_ARGS, IMAGE_MERMAID_CONFIG, openDiagramPage, type BrowserLike, type DiagramRenderer, type ImageFormat } from '../../src/publish/svg.js';

interface Target {
  type(): string;
}
interface TestBrowser extends BrowserLike {
  on(event: 'targetcreated', handler: (target: Target) => void): unknown;
}
interface MermaidCli {
  renderMermaid(browser: TestBrowser, definition: string, format: ImageFormat, options: object): Promise<{ data: Uint8Array }>;
}

const fixture = (name: string) => readFileSync(new URL(`../fixtures/captures/${name}.mmd`, import.meta.url), 'utf8');
const DIAGRAMS = {
  reference: fixture('openstack-image-create-reference'),
  services: fixture('service-to-service'),
  tiny: 'sequenceDiagram\n  a->>b: hi\n  b-->>a: 200 OK\n',
  // Links give the lifelines popup menus and `root-N` groups: numbered by the same counter.
  linked: 'sequenceDiagram\n  participant a as client\n  participant b as api\n  link b: Docs @ https://docs.invalid/api\n  a->>b: GET /\n',
};

let browser: TestBrowser;
let cli: MermaidCli;
let renderer: DiagramRenderer;
let pagesOpened = 0;

beforeAll(async () => {
  const puppeteer = (await import('puppeteer')).default as unknown as { launch(o: object): Promise<TestBrowser> };
  cli = (await import('@mermaid-js/mermaid-cli')) as unknown as MermaidCli;
  browser = await puppeteer.launch({ executablePath: DEBIAN_CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  browser.on('targetcreated', (target) => {
    if (target.type() === 'page') pagesOpened += 1;
  });
  renderer = await openDiagramPage(browser, '--svg');
}, 60_000);

afterAll(async () => {
  await renderer?.close();
  await browser?.close();
});

const source = (definition: string) => ({ definition, page: 'page.md', view: 'full', firstLine: null });

/** What mermaid-cli draws for the diagram on a page of its own (it opens and closes one). */
async function freshPage(definition: string, format: ImageFormat): Promise<Buffer> {
  const viewport = format === 'png' ? { viewport: { width: 800, height: 600, deviceScaleFactor: 1 } } : {};
  const out = await cli.renderMermaid(browser, definition, format, { mermaidConfig: IMAGE_MERMAID_CONFIG, backgroundColor: 'white', ...viewport });
  return Buffer.from(out.data);
}

describe('the diagram page', () => {
  it('draws every diagram of a run on one page, each the bytes mermaid-cli gives on a fresh page', async () => {
    const order: Array<[keyof typeof DIAGRAMS, ImageFormat]> = [
      ['reference', 'svg'], ['tiny', 'svg'], ['services', 'png'], ['linked', 'svg'], ['reference', 'svg'], ['tiny', 'png'], ['services', 'svg'],
    ];
    const before = pagesOpened;
    const ours: Buffer[] = [];
    for (const [name, format] of order) ours.push(Buffer.from(await renderer.render(source(DIAGRAMS[name]), format)));
    expect(pagesOpened - before).toBe(0); // the page was opened with the renderer, before these
    for (const [i, [name, format]] of order.entries()) {
      const expected = await freshPage(DIAGRAMS[name], format);
      expect({ name, format, same: ours[i]?.equals(expected) }).toEqual({ name, format, same: true });
    }
    expect(pagesOpened - before).toBe(order.length); // mermaid-cli: one page per diagram
  });

  it('opens exactly one page, and keeps drawing after a mermaid syntax error', async () => {
    const before = pagesOpened;
    const own = await openDiagramPage(browser, '--svg');
    try {
      const error = await own.render(source('sequenceDiagram\n  a->>>>b: broken\n'), 'svg').catch((e: unknown) => e);
      expect((error as Error).message).toMatch(/mermaid syntax error/);
      const after = Buffer.from(await own.render(source(DIAGRAMS.tiny), 'svg'));
      expect(after.equals(await freshPage(DIAGRAMS.tiny, 'svg'))).toBe(true);
    } finally {
      await own.close();
    }
    expect(pagesOpened - before).toBe(2); // ours, then mermaid-cli's one for the comparison
  });

  it('draws diagrams asked for at once one after the other, each as when asked alone', async () => {
    const names = ['reference', 'tiny', 'linked'] as const;
    const together = await Promise.all(names.map((n) => renderer.render(source(DIAGRAMS[n]), 'svg')));
    for (const [i, n] of names.entries()) {
      expect(Buffer.from(together[i] as Uint8Array).equals(Buffer.from(await renderer.render(source(DIAGRAMS[n]), 'svg')))).toBe(true);
    }
  });
});
