/**
 * HAR import against a real producer: Debian's Chromium (through playwright-core's `recordHar`)
 * loads a loopback site with a redirect, a cookie, a binary image, a fetch() JSON call and a POST
 * form. The imported capture holds exactly the requests the server saw, in order, with bodies,
 * sizes and hashes of what the server sent; the page rendered straight from the .har draws them.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCapture } from '../../src/model/capture.js';
import type { Capture, ExchangeRecord } from '../../src/model/exchange.js';
import { profileFor } from '../../src/model/profiles/choose.js';
import { DEBIAN_CHROMIUM } from '../../src/defaults.js';
import { CHROMIUM_ARGS } from '../../src/publish/svg.js';
import { runCli } from '../helpers/flowscribe-cli.js';
import { fullDiagram } from '../helpers/mermaid-arrows.js';

/** A 1×1 PNG: binary, not valid UTF-8. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const ITEMS = JSON.stringify({ items: [{ id: 'a1', name: 'cirros' }] });
const PAGE = `<!doctype html><html><head><link rel="icon" href="data:,"><title>t</title></head><body>
<img id="pixel" src="/pixel.png">
<p id="items"></p>
<form method="post" action="/submit"><input name="name" value="cirros"><input name="disk" value="qcow2"><button id="go">go</button></form>
<script>
const load = async () => {
  const r = await fetch('/api/items', { headers: { Accept: 'application/json' } });
  document.getElementById('items').textContent = (await r.json()).items[0].name;
};
const pixel = document.getElementById('pixel');
if (pixel.complete) load(); else pixel.addEventListener('load', load);
</script></body></html>`;

interface Seen {
  method: string;
  path: string;
  body: string;
}

let work: string;
let base: string;
const seen: Seen[] = [];
const sent = new Map<string, Buffer>();
let closeServer: () => Promise<void>;

function answer(req: IncomingMessage, res: ServerResponse, body: string): void {
  const reply = (status: number, reason: string, headers: Record<string, string>, payload: Buffer | string = '') => {
    sent.set(`${req.method} ${req.url}`, Buffer.from(payload));
    res.writeHead(status, reason, headers);
    res.end(payload);
  };
  seen.push({ method: req.method ?? '', path: req.url ?? '', body });
  if (req.url === '/start') return reply(302, 'Moved Over There', { Location: '/page', 'Set-Cookie': 'session=s3cr3t-cookie; Path=/; HttpOnly' });
  if (req.url === '/page') return reply(200, 'OK', { 'Content-Type': 'text/html; charset=utf-8' }, PAGE);
  if (req.url === '/pixel.png') return reply(200, 'OK', { 'Content-Type': 'image/png' }, PNG);
  if (req.url === '/api/items') return reply(200, 'OK', { 'Content-Type': 'application/json' }, ITEMS);
  if (req.url === '/submit') return reply(303, 'See Other', { Location: '/done' });
  if (req.url === '/done') return reply(200, 'OK', { 'Content-Type': 'text/html' }, '<link rel="icon" href="data:,"><p id="done">done</p>');
  return reply(404, 'Not Found', { 'Content-Type': 'text/plain' }, 'no');
}

async function startSite(): Promise<void> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => answer(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  closeServer = () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
}

async function recordHar(path: string): Promise<void> {
  const browser = await chromium.launch({ executablePath: DEBIAN_CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  try {
    const context = await browser.newContext({ recordHar: { path, content: 'embed' } });
    const page = await context.newPage();
    await page.goto(`${base}/start`);
    await page.waitForFunction("document.getElementById('items')?.textContent === 'cirros'");
    await Promise.all([page.waitForURL(`${base}/done`), page.click('#go')]);
    await context.close(); // writes the HAR
  } finally {
    await browser.close();
  }
}

let harPath: string;
let capture: Capture;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'flowscribe-chromium-har-'));
  harPath = join(work, 'browser.har');
  await startSite();
  await recordHar(harPath);
  const imported = await runCli(['import', harPath, '-o', join(work, 'browser.jsonl')]);
  expect(imported.stderr, imported.stderr).toMatch(/^flowscribe: \d+ exchanges → /);
  expect(imported.code).toBe(0);
  capture = await readCapture(join(work, 'browser.jsonl'));
}, 120_000);

afterAll(async () => {
  await closeServer?.();
  if (work) rmSync(work, { recursive: true, force: true });
});

const pathOf = (e: ExchangeRecord) => e.request.url.slice(base.length);
function find(method: string, path: string): ExchangeRecord {
  const e = capture.exchanges.find((x) => x.request.method === method && pathOf(x) === path);
  if (!e) throw new Error(`${method} ${path} is not in the capture`);
  return e;
}

describe('a HAR written by Chromium (playwright-core recordHar), imported', () => {
  it('holds exactly the requests the server saw, in order', () => {
    expect(capture.exchanges.map((e) => `${e.request.method} ${pathOf(e)}`)).toEqual(seen.map((s) => `${s.method} ${s.path}`));
    expect(seen.map((s) => s.path)).toEqual(['/start', '/page', '/pixel.png', '/api/items', '/submit', '/done']);
  });

  it('keeps the redirect with its reason phrase, Location and cookie', () => {
    const start = find('GET', '/start');
    expect(start.response?.statusCode).toBe(302);
    expect(start.response?.statusMessage).toBe('Moved Over There');
    expect(start.response?.headers.find(([n]) => n.toLowerCase() === 'location')?.[1]).toBe('/page');
    const cookie = find('GET', '/page').request.headers.find(([n]) => n.toLowerCase() === 'cookie')?.[1];
    expect(cookie).toBe('session=s3cr3t-cookie');
  });

  it('keeps the binary image as base64 with the size and SHA-256 of the bytes the server sent', () => {
    const body = find('GET', '/pixel.png').response?.body;
    expect(body?.encoding).toBe('base64');
    expect(Buffer.from(body?.data ?? '', 'base64')).toEqual(PNG);
    expect(body?.sizeBytes).toBe(PNG.length);
    expect(body?.sha256).toBe(createHash('sha256').update(PNG).digest('hex'));
    expect(body?.mediaType).toBe('image/png');
  });

  it('keeps the fetch() JSON response and the POST form body as sent', () => {
    expect(find('GET', '/api/items').response?.body.data).toBe(ITEMS);
    const submit = find('POST', '/submit');
    expect(submit.request.body.data).toBe(seen.find((s) => s.path === '/submit')?.body);
    expect(submit.request.body.data).toBe('name=cirros&disk=qcow2');
    expect(submit.request.body.mediaType).toBe('application/x-www-form-urlencoded');
    expect(submit.response?.statusCode).toBe(303);
  });

  it('has instants in request order on one clock', () => {
    const starts = capture.exchanges.map((e) => e.timings.requestStart.ns);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    for (const e of capture.exchanges) expect(e.timings.responseEnd!.ns).toBeGreaterThanOrEqual(e.timings.requestStart.ns);
  });

  it('renders straight from the .har: the arrows are the requests, in order, from the browser', async () => {
    const page = join(work, 'page.md');
    const run = await runCli(['render', harPath, '-o', page]);
    expect(run.code).toBe(0);
    const diagram = fullDiagram(readFileSync(page, 'utf8'));
    const requests = diagram.arrows.filter((a) => a.kind === 'request');
    expect(requests.map((a) => a.label)).toEqual(seen.map((s) => `${s.method} ${s.path}`));
    expect(new Set(requests.map((a) => a.from))).toEqual(new Set(['chromium']));
    expect(diagram.participants).toEqual(['chromium', base.slice('http://'.length)]);
  });

  it('is rendered with the generic http profile: no OpenStack wording, an empty request body is an empty tab', async () => {
    expect(profileFor(capture).name).toBe('http');
    const page = join(work, 'page-http.md');
    const run = await runCli(['render', harPath, '-o', page]);
    expect(run.code).toBe(0);
    const markdown = readFileSync(page, 'utf8');
    expect(markdown).toMatch(/### \(1\) GET \/start\n[\s\S]*?=== "Body"\n {4}``` json title="" linenums="1"\n {4}\n/);
    expect(markdown).not.toMatch(/\n {4}None\n|with limits|OpenStack/);
  });
});
