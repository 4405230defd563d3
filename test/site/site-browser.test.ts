/**
 * The docs site end to end, in a real browser: `flowscribe site --build` (Debian's mkdocs +
 * mkdocs-material) on a temp copy of the project, served on 127.0.0.1, read by Debian's Chromium
 * through playwright-core. Every request that is not to loopback is aborted and fails the test:
 * the site must work with no internet at hand.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { readCapture } from '../../src/model/capture.js';
import { CHROMIUM_ARGS, DEBIAN_CHROMIUM } from '../../src/render/svg.js';
import { REPO_ROOT, runCli } from '../helpers/run-cli.js';
import { serveDirectory, type StaticServer } from '../helpers/static-server.js';

const ARTIFACTS = join(REPO_ROOT, 'test', 'artifacts');
const REFERENCE_PARTICIPANTS = ['openstack-client', 'keystone-api', 'glance-api', 'swift-proxy-server'];

let work: string;
let server: StaticServer;
let browser: Browser;
let context: BrowserContext;
const outside: string[] = [];
let example: { name: string; markdown: string; exchanges: number; firstPost: { n: number; firstKey: string } };

/** The shipped example capture: the first of captures/*.jsonl. */
function shippedCapture(): string {
  const name = readdirSync(join(REPO_ROOT, 'captures')).filter((f) => f.endsWith('.jsonl')).sort()[0];
  if (!name) throw new Error('no shipped capture in captures/');
  return name;
}

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
  const name = shippedCapture();
  mkdirSync(join(work, 'captures'));
  cpSync(join(REPO_ROOT, 'captures', name), join(work, 'captures', name));
  cpSync(join(REPO_ROOT, 'mkdocs.yml'), join(work, 'mkdocs.yml'));
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

  it('renders the sequence diagram as SVG with every numbered message and participant', async () => {
    const page = await openExamplePage();
    // The page shows the summary diagram first, then the full one (the sections' numbers): check the full one.
    const svg = page.locator('.flowscribe-mermaid-diagram svg').last();
    const numbers = await svg.locator('text.sequenceNumber').allTextContents();
    const diagrams = [...example.markdown.matchAll(/```\s*mermaid\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
    const arrowsInSource = (diagrams[diagrams.length - 1] ?? '').match(/^\s*\S+\s*--?>>/gm)?.length;
    expect(numbers.length).toBe(2 * example.exchanges);
    expect(numbers.length).toBe(arrowsInSource);
    expect(numbers.map(Number)).toEqual(Array.from({ length: numbers.length }, (_, i) => i + 1));
    expect(await svg.locator('text.messageText').count()).toBe(numbers.length);
    const actors = [...new Set(await svg.locator('text.actor').allTextContents())];
    expect([...actors].sort()).toEqual([...REFERENCE_PARTICIPANTS].sort());
    expect(await page.locator('pre.flowscribe-mermaid').count()).toBe(0);
    await svg.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: join(ARTIFACTS, 'site-example-page.png') });
    await svg.screenshot({ path: join(ARTIFACTS, 'site-example-diagram.png') });
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
