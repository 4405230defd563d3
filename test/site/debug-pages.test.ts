/**
 * The debugging pages in a real site and a real browser: a diff page (warm vs cold image create,
 * with its side pages), pages rendered with --timings --tokens (waterfall, Tokens section), a page
 * with a transport failure and a 404, and a two-program script, all from real lab recordings, built
 * by `flowscribe site --build` (mkdocs build --strict) and read in Debian's Chromium: every mermaid
 * block (sequence and gantt) must render without a mermaid error, notes and bars visible.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEBIAN_CHROMIUM } from '../../src/defaults.js';
import { CHROMIUM_ARGS } from '../../src/publish/svg.js';
import { runCli } from '../helpers/flowscribe-cli.js';
import { REPO_ROOT } from '../helpers/shipped-capture.js';
import { serveDirectory, type StaticServer } from '../helpers/static-server.js';
import { writeConfigWithoutGuide } from '../helpers/site-config.js';

const RUNS = join(REPO_ROOT, 'test', 'fixtures', 'lab-runs');
const SITE_RUNS = ['image-create-cold', 'failures', 'two-programs', 'token-issue-wrong-password'];

let work: string;
let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'flowscribe-debug-site-'));
  mkdirSync(join(work, 'captures'));
  for (const name of SITE_RUNS) cpSync(join(RUNS, `${name}.jsonl`), join(work, 'captures', `${name}.jsonl`));
  writeConfigWithoutGuide(join(work, 'mkdocs.yml'));
  const diff = await runCli(['diff', join(RUNS, 'image-create-warm.jsonl'), 'captures/image-create-cold.jsonl', '-o', 'docs/warm-vs-cold.md'], { cwd: work });
  expect(diff.code).toBe(1);
  const built = await runCli(['site', '--build', '--timings', '--tokens'], { cwd: work });
  expect(built.stderr).toBe('');
  expect(built.code).toBe(0);
  server = await serveDirectory(join(work, 'site'));
  browser = await chromium.launch({ executablePath: DEBIAN_CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Opens a page and waits until every mermaid block became an SVG or an error. */
async function open(path: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${server.url}${path}/`);
  // A string: the test's tsconfig has no DOM types; this runs in the page.
  const settled = "document.querySelectorAll('pre.flowscribe-mermaid').length === 0 || document.querySelector('.flowscribe-mermaid-error') !== null";
  await page.waitForFunction(settled, undefined, { timeout: 90_000 });
  const errors = await page.locator('.flowscribe-mermaid-error').allTextContents();
  expect(errors).toEqual([]);
  return page;
}

describe('debugging pages in Chromium', () => {
  it('diff page: merged diagram with the added arrows noted, table links to the side page', async () => {
    const page = await open('warm-vs-cold');
    const svg = page.locator('.flowscribe-mermaid-diagram svg').first();
    expect(await svg.locator('text.sequenceNumber').count()).toBe(50);
    expect(await svg.locator('text.noteText', { hasText: '+ only in B' }).count()).toBe(2);
    await page.locator('a[href*="warm-vs-cold-b"]').first().click();
    await page.waitForURL(/warm-vs-cold-b\/#8-get$/);
    await page.close();
  }, 180_000);

  it('--timings page: durations on arrows and a gantt waterfall with one bar per exchange', async () => {
    const page = await open('image-create-cold');
    expect(await page.locator('svg[aria-roledescription="gantt"] rect.task').count()).toBe(25);
    expect(await page.locator('text.messageText', { hasText: / \(\d+(\.\d)? (ms|s)\)$/ }).count()).toBeGreaterThan(20);
    expect(await page.locator('h2', { hasText: 'Tokens' }).count()).toBe(1);
    await page.close();
  }, 180_000);

  it('failure page: the -x arrow with its note and the 404 admonition', async () => {
    const page = await open('failures');
    expect(await page.locator('text.noteText', { hasText: '✕ ECONNREFUSED 127.0.0.1:45999' }).count()).toBeGreaterThan(0);
    expect(await page.locator('.admonition.failure').count()).toBe(1);
    expect(await page.locator('.admonition.warning').count()).toBe(1);
    await page.close();
  }, 180_000);

  it('two-program script: openstack-client and curl-client', async () => {
    const page = await open('two-programs');
    const actors = new Set(await page.locator('.flowscribe-mermaid-diagram svg').first().locator('text.actor').allTextContents());
    expect(actors).toEqual(new Set(['openstack-client', 'keystone-api', 'glance-api', 'curl-client']));
    await page.close();
  }, 180_000);
});
