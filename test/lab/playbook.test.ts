/**
 * The lab playbook end to end: bring the lab up, run `lab/docs` (flowscribe playbook over
 * lab/playbook.yaml, then mkdocs build --strict) into test/artifacts/lab-docs, and check the tree,
 * the nav, that ids flowed between steps (image show found the image create made), and one page
 * per service folder in Chromium. The lab is torn down at the end, pass or fail.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { readCapture } from '../../src/model/capture.js';
import type { Capture, ExchangeRecord } from '../../src/model/exchange.js';
import { readNav, type NavItem } from '../../src/render/mkdocs-config.js';
import { DEBIAN_CHROMIUM } from '../../src/defaults.js';
import { CHROMIUM_ARGS } from '../../src/publish/svg.js';
import { repoRoot, runLabScript } from '../helpers/lab-scripts.js';
import { serveDirectory, type StaticServer } from '../helpers/static-server.js';

const MINUTES = 60_000;
const root = join(repoRoot, 'test/artifacts/lab-docs');
const tree = 'openstack/sequence';
const FOLDERS = ['identity', 'image', 'object-store'];
let output = '';

beforeAll(() => {
  rmSync(root, { recursive: true, force: true });
  runLabScript('up', [], 20 * MINUTES);
  process.env.LAB_DOCS_ROOT = root;
  const run = runLabScript('docs', [], 40 * MINUTES);
  output = run.output;
  console.log(`lab/docs (21 steps recorded + mkdocs build --strict): ${run.seconds.toFixed(1)} s`);
}, 60 * MINUTES);

afterAll(() => {
  runLabScript('down', [], 2 * MINUTES);
}, 3 * MINUTES);

function capture(page: string): Promise<Capture> {
  return readCapture(join(root, 'captures', tree, `${page}.jsonl`));
}

function find(c: Capture, method: string, path: RegExp): ExchangeRecord[] {
  return c.exchanges.filter((e) => e.request.method === method && path.test(new URL(e.request.url).pathname));
}

function pages(items: NavItem[]): string[] {
  return items.flatMap((i) => (i.kind === 'page' ? [i.path] : i.kind === 'section' ? pages(i.items) : []));
}

describe('npm run lab:docs', () => {
  it('records every step, builds the site with mkdocs --strict, and exits 0', () => {
    expect(output).toMatch(/playbook: 21 recorded, 0 failed/);
    expect(output).toContain('playbook: mkdocs build --strict passed');
    expect(output).not.toMatch(/FAILED/);
  });

  it('writes at least 15 pages in the tree, one folder per service, each with its index', () => {
    const md = FOLDERS.flatMap((f) => readdirSync(join(root, 'docs', tree, f)).filter((n) => n.endsWith('.md') && n !== 'index.md').map((n) => `${f}/${n}`));
    expect(md.length).toBeGreaterThanOrEqual(15);
    for (const f of FOLDERS) expect(readFileSync(join(root, 'docs', tree, f, 'index.md'), 'utf8')).toMatch(/^<!-- Written by `flowscribe playbook`/);
    for (const page of md) expect(existsSync(join(root, 'captures', tree, page.replace(/\.md$/, '.jsonl')))).toBe(true);
    expect(existsSync(join(root, 'site', tree, 'image/show/index.html'))).toBe(true);
  });

  it('groups the nav by folder and sets site_name and theme.language', () => {
    const config = readFileSync(join(root, 'mkdocs.yml'), 'utf8');
    expect(config).toMatch(/^site_name: OpenStack sequences \(flowscribe lab\)$/m);
    expect(config).toMatch(/^ {2}language: en$/m);
    const section = readNav(config).find((i) => i.kind === 'section');
    expect(section?.kind === 'section' && section.items.map((i) => (i.kind === 'section' ? i.title : i.kind))).toEqual([
      'page',
      'Identity (Keystone)',
      'Image (Glance)',
      'Object store (Swift)',
    ]);
    expect(pages(section?.kind === 'section' ? section.items : [])).toContain(`${tree}/image/show.md`);
  });

  it('passes ids between steps: image show and image delete found the image image create made', async () => {
    const create = await capture('image/create');
    const post = find(create, 'POST', /^\/v2\/images$/)[0];
    const imageId = (JSON.parse(post?.response?.body.data ?? '{}') as { id?: string }).id;
    expect(imageId).toMatch(/^[0-9a-f-]{36}$/);
    const show = find(await capture('image/show'), 'GET', new RegExp(`^/v2/images/${imageId}$`));
    expect(show.map((e) => e.response?.statusCode)).toEqual([200]);
    const del = find(await capture('image/delete'), 'DELETE', new RegExp(`^/v2/images/${imageId}$`));
    expect(del.map((e) => e.response?.statusCode)).toEqual([204]);
    expect(readFileSync(join(root, 'docs', tree, 'image/show.md'), 'utf8')).toContain(`\`image_id\`: \`${imageId}\``);
  });

  it('passes the project and user ids through the identity steps', async () => {
    const created = find(await capture('identity/project-create'), 'POST', /^\/v3\/projects$/)[0];
    const projectId = (JSON.parse(created?.response?.body.data ?? '{}') as { project?: { id?: string } }).project?.id;
    expect(projectId).toMatch(/^[0-9a-f]{32}$/);
    expect(find(await capture('identity/project-show'), 'GET', new RegExp(`^/v3/projects/${projectId}$`)).map((e) => e.response?.statusCode)).toEqual([200]);
    const grant = find(await capture('identity/role-add'), 'PUT', new RegExp(`^/v3/projects/${projectId}/users/[0-9a-f]{32}/roles/[0-9a-f]{32}$`));
    expect(grant.map((e) => e.response?.statusCode)).toEqual([204]);
    expect(find(await capture('identity/project-delete'), 'DELETE', new RegExp(`^/v3/projects/${projectId}$`)).map((e) => e.response?.statusCode)).toEqual([204]);
  });
});

describe('the lab docs site in Chromium', () => {
  let server: StaticServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await serveDirectory(join(root, 'site'));
    browser = await chromium.launch({ executablePath: DEBIAN_CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  }, 2 * MINUTES);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it.each([
    ['identity/token-issue', 'openstack token issue'],
    ['image/show', 'openstack image show'],
    ['object-store/object-create', 'openstack object create'],
  ])('opens %s with its title, description and drawn diagram', async (page, title) => {
    const tab = await browser.newPage();
    const outside: string[] = [];
    await tab.route('**/*', (route) => {
      if (new URL(route.request().url()).hostname === '127.0.0.1') return route.continue();
      outside.push(route.request().url());
      return route.abort('blockedbyclient');
    });
    await tab.goto(`${server.url}${tree}/${page}/`);
    expect((await tab.locator('h1').first().innerText()).replace(/¶$/, '').trim()).toBe(title); // less the permalink
    const description = readFileSync(join(root, 'docs', tree, `${page}.md`), 'utf8').split('\n\n')[1] ?? '';
    expect(description).toMatch(/^[A-Z].{40,}/);
    expect(await tab.locator('h1 + p').first().innerText()).toBe(description.replace(/`/g, ''));
    await tab.locator('.flowscribe-mermaid-diagram svg').first().waitFor({ timeout: 60_000 });
    expect(await tab.locator('.flowscribe-mermaid-diagram svg text.messageText').count()).toBeGreaterThan(0);
    expect(outside).toEqual([]);
    await tab.close();
  }, 2 * MINUTES);
});
