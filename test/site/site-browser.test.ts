/**
 * The docs site end to end, in a real browser: `flowscribe site --build` (Debian's mkdocs +
 * mkdocs-material) on a temp copy of the project, served on 127.0.0.1, read by Debian's Chromium
 * through playwright-core. Every request that is not to loopback is aborted and fails the test:
 * the site must work with no internet at hand.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { readCapture } from '../../src/model/capture.js';
import { DEBIAN_CHROMIUM } from '../../src/defaults.js';
import { CHROMIUM_ARGS } from '../../src/publish/svg.js';
import { makeExchange, makeHeader, makeTrailer, toJsonl } from '../helpers/exchanges.js';
import { runCli } from '../helpers/flowscribe-cli.js';
import { mermaidBlocks, parseDiagram } from '../helpers/mermaid-arrows.js';
import { EXAMPLE_CAPTURE, REPO_ROOT } from '../helpers/shipped-capture.js';
import { serveDirectory, type StaticServer } from '../helpers/static-server.js';
import { writeConfigWithoutGuide } from '../helpers/site-config.js';

const ARTIFACTS = join(REPO_ROOT, 'test', 'artifacts');
const REFERENCE_PARTICIPANTS = ['openstack-client', 'keystone-api', 'glance-api', 'swift-proxy-server'];
/** Enough long-pathed exchanges that the diagram passes mermaid's default 50,000-character limit. */
const LARGE_EXCHANGES = 240;
const LARGE_PAGE = 'zz-large-capture';
/** A compute-lab page whose recording caught nova-compute's periodic calls (background band, summary). */
const COMPUTE_PAGE = 'openstack-server-delete';

function largeCapture(): string {
  const path = '/v3/a-resource-with-a-rather-long-name/and-a-sub-resource-with-another-long-name/listing';
  const exchanges = Array.from({ length: LARGE_EXCHANGES }, (_, i) =>
    makeExchange({ seq: i + 1, url: `http://127.0.0.1:5000${path}-${i}` }),
  );
  return toJsonl([makeHeader(), ...exchanges, makeTrailer(LARGE_EXCHANGES)]);
}

let work: string;
let server: StaticServer;
let browser: Browser;
let context: BrowserContext;
const outside: string[] = [];
let example: { name: string; markdown: string; exchanges: number; firstPost: { n: number; firstKey: string } };

/** The first `### (n) POST` section of the page and the first key of its JSON request body. */
async function firstPostSection(capturePath: string, markdown: string): Promise<{ n: number; firstKey: string }> {
  const n = Number(/^### \((\d+)\) POST /m.exec(markdown)?.[1]);
  const capture = await readCapture(capturePath);
  const post = capture.exchanges.find((e) => e.request.method === 'POST');
  const key = Object.keys(JSON.parse(post?.request.body.data ?? '{}') as object)[0];
  if (!n || !key) throw new Error('the example has no POST with a JSON body');
  return { n, firstKey: key };
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'flowscribe-site-'));
  const name = EXAMPLE_CAPTURE;
  mkdirSync(join(work, 'captures'));
  cpSync(join(REPO_ROOT, 'captures', name), join(work, 'captures', name));
  writeFileSync(join(work, 'captures', `${LARGE_PAGE}.jsonl`), largeCapture());
  cpSync(join(REPO_ROOT, 'captures', `${COMPUTE_PAGE}.jsonl`), join(work, 'captures', `${COMPUTE_PAGE}.jsonl`));
  writeConfigWithoutGuide(join(work, 'mkdocs.yml'));
  const built = await runCli(['site', '--build'], { cwd: work });
  expect(built.stderr).toBe('');
  expect(built.code).toBe(0);
  const pageName = name.replace(/\.jsonl$/, '');
  const markdown = readFileSync(join(work, 'docs', `${pageName}.md`), 'utf8');
  const capture = await readCapture(join(work, 'captures', name));
  example = { name: pageName, markdown, exchanges: capture.exchanges.length, firstPost: await firstPostSection(join(work, 'captures', name), markdown) };
  server = await serveDirectory(join(work, 'site'));
  browser = await chromium.launch({ executablePath: DEBIAN_CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route('**/*', (route) => {
    const host = new URL(route.request().url()).hostname;
    if (host === '127.0.0.1') return route.continue();
    outside.push(route.request().url());
    return route.abort('blockedbyclient');
  });
  mkdirSync(ARTIFACTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

let examplePage: Page | undefined;

/** The example page, loaded once (a 50-section page with mermaid takes seconds) and shared. */
async function openExamplePage(): Promise<Page> {
  if (examplePage) return examplePage;
  examplePage = await context.newPage();
  await examplePage.goto(`${server.url}${example.name}/`);
  await examplePage.waitForSelector('.flowscribe-mermaid-diagram svg', { timeout: 60_000 });
  return examplePage;
}

describe('flowscribe site --build, read in Chromium', () => {
  it('index lists the example capture with its command, participants and exchange count', async () => {
    const page = await context.newPage();
    await page.goto(server.url);
    const row = page.locator('table tbody tr').first();
    const cells = await row.locator('td').allInnerTexts();
    expect(cells[0]).toContain('openstack image create');
    expect(cells[1]?.split(', ')).toEqual(REFERENCE_PARTICIPANTS);
    expect(Number(cells[2])).toBe(example.exchanges);
    await page.screenshot({ path: join(ARTIFACTS, 'site-index.png'), fullPage: true });
    await row.locator('a').click();
    await page.waitForURL(`${server.url}${example.name}/`);
    await page.close();
  });

  it('renders every diagram as SVG with all its numbered messages and participants', async () => {
    const page = await openExamplePage();
    const sources = mermaidBlocks(example.markdown).map(parseDiagram);
    const svgs = page.locator('.flowscribe-mermaid-diagram svg');
    await expect.poll(() => svgs.count()).toBe(sources.length);
    for (const [i, source] of sources.entries()) {
      const svg = svgs.nth(i);
      expect(await svg.locator('text.sequenceNumber').count()).toBe(source.arrows.length);
      expect(await svg.locator('text.messageText').count()).toBe(source.arrows.length);
      expect([...new Set(await svg.locator('text.actor').allTextContents())].sort()).toEqual([...source.participants].sort());
    }
    // The full diagram (the page's last) numbers every message of every exchange, 1..n.
    const full = svgs.last();
    const numbers = await full.locator('text.sequenceNumber').allTextContents();
    expect(numbers.map(Number)).toEqual(Array.from({ length: 2 * example.exchanges }, (_, i) => i + 1));
    expect(sources.at(-1)?.participants).toEqual(REFERENCE_PARTICIPANTS);
    expect(await page.locator('pre.flowscribe-mermaid').count()).toBe(0);
    await svgs.first().evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: join(ARTIFACTS, 'site-example-page.png') });
    await full.screenshot({ path: join(ARTIFACTS, 'site-example-diagram.png') });
  });

  it('draws a diagram past mermaid\'s default size limit in full', async () => {
    const source = mermaidBlocks(readFileSync(join(work, 'docs', `${LARGE_PAGE}.md`), 'utf8')).at(-1) ?? '';
    expect(source.length).toBeGreaterThan(50_000);
    const page = await context.newPage();
    await page.goto(`${server.url}${LARGE_PAGE}/`);
    const svg = page.locator('.flowscribe-mermaid-diagram svg').last();
    await svg.waitFor({ timeout: 60_000 });
    expect(await svg.locator('text.sequenceNumber').count()).toBe(2 * LARGE_EXCHANGES);
    await page.close();
  });

  it('shows a section\'s JSON body when its "Body" tab is clicked', async () => {
    const page = await openExamplePage();
    const { n, firstKey } = example.firstPost;
    const tabs = page.locator(`h3:has-text("(${n}) POST") + .tabbed-set`);
    const bodyBlock = tabs.locator('.tabbed-block').nth(1);
    expect(await bodyBlock.isVisible()).toBe(false);
    await tabs.locator('label', { hasText: 'Body' }).click();
    expect(await bodyBlock.isVisible()).toBe(true);
    expect(await bodyBlock.innerText()).toContain(`"${firstKey}"`);
  });

  it('opens the collapsible raw log and shows its text', async () => {
    const page = await openExamplePage();
    const log = page.locator('details.quote').last();
    const code = log.locator('code').first();
    expect(await log.getAttribute('open')).toBeNull();
    expect(await code.isVisible()).toBe(false);
    await log.locator('summary').click();
    expect(await log.getAttribute('open')).not.toBeNull();
    expect(await code.isVisible()).toBe(true);
    const logFile = readdirSync(join(work, 'docs', 'logs')).find((f) => f.startsWith(example.name));
    const firstLine = readFileSync(join(work, 'docs', 'logs', logFile ?? ''), 'utf8').split('\n').find((l) => l.trim() !== '');
    expect(firstLine).toBeTruthy();
    expect(await code.innerText()).toContain(firstLine?.trim());
  });

  it('draws the full diagram across the page width, with zoom buttons that zoom', async () => {
    const page = await openExamplePage();
    const full = page.locator('.flowscribe-mermaid-diagram svg').last();
    await full.locator('.svg-pan-zoom_viewport').waitFor({ timeout: 30_000 });
    // mermaid alone caps a sequence diagram at 688 px; on a wide screen it gets the content column.
    await page.setViewportSize({ width: 1920, height: 1000 });
    const width = (await full.boundingBox())?.width ?? 0;
    const column = (await page.locator('.md-content').boundingBox())?.width ?? 0;
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(width).toBeGreaterThan(1200);
    expect(width).toBeGreaterThan(column - 100);
    const viewport = full.locator('.svg-pan-zoom_viewport');
    const before = await viewport.getAttribute('transform');
    await full.locator('#svg-pan-zoom-zoom-in').click();
    await expect.poll(() => viewport.getAttribute('transform')).not.toBe(before);
  });

  it('jumps to an arrow\'s section when its number is clicked', async () => {
    const page = await openExamplePage();
    const full = page.locator('.flowscribe-mermaid-diagram svg').last();
    await full.locator('.svg-pan-zoom_viewport').waitFor({ timeout: 30_000 });
    const { n } = example.firstPost;
    const number = full.locator('text.sequenceNumber', { hasText: new RegExp(`^${n}$`) }).first();
    await number.scrollIntoViewIfNeeded();
    await number.click();
    const id = await page.locator(`h3:has-text("(${n}) POST")`).getAttribute('id');
    expect(id).toBeTruthy();
    await expect.poll(() => new URL(page.url()).hash).toBe(`#${id}`);
    await page.screenshot({ path: join(ARTIFACTS, 'site-arrow-jump.png') });
  });

  it('draws a compute page: summary without, full diagram with its background calls on a band', async () => {
    const markdown = readFileSync(join(work, 'docs', `${COMPUTE_PAGE}.md`), 'utf8');
    const sources = mermaidBlocks(markdown).map(parseDiagram);
    expect(sources).toHaveLength(2);
    const [summary, full] = sources as [ReturnType<typeof parseDiagram>, ReturnType<typeof parseDiagram>];
    const background = full.arrows.filter((a) => a.label.startsWith('(background) '));
    expect(background.length).toBeGreaterThan(0);
    expect(summary.arrows).toHaveLength(full.arrows.length - background.length);
    const page = await context.newPage();
    await page.goto(`${server.url}${COMPUTE_PAGE}/`);
    const svgs = page.locator('.flowscribe-mermaid-diagram svg');
    await expect.poll(() => svgs.count(), { timeout: 60_000 }).toBe(2);
    expect(await svgs.nth(0).locator('text.messageText').count()).toBe(summary.arrows.length);
    expect(await svgs.nth(1).locator('text.messageText').count()).toBe(full.arrows.length);
    // mermaid draws a `rect` block as a rect.rect behind its messages; the background band is the grey
    // one (4xx/5xx replies get red ones in both diagrams): only the full diagram has a grey band.
    const greyBands = (i: number) =>
      svgs.nth(i).locator('rect.rect').evaluateAll((rects) => rects.filter((r) => /128,\s*128,\s*128/.test(`${r.getAttribute('fill')} ${r.getAttribute('style')}`)).length);
    expect(await greyBands(0)).toBe(0);
    expect(await greyBands(1)).toBeGreaterThan(0);
    expect(await page.locator('article').innerText()).toContain('(background)');
    await page.close();
  });

  it('sent no request off the machine', () => {
    expect(outside).toEqual([]);
  });

  it('the guard does catch a request off the machine (so the check above can fail)', async () => {
    const page = await context.newPage();
    // A light same-origin document (any site page would load all of mermaid first).
    await page.goto(`${server.url}sitemap.xml`);
    const probe = 'https://cdn.jsdelivr.net/npm/mermaid/dist/mermaid.min.js';
    const fetched = await page.evaluate((url) => fetch(url).then(() => 'fetched', () => 'blocked'), probe);
    expect(fetched).toBe('blocked');
    expect(outside).toContain(probe);
    await page.close();
  });
});
