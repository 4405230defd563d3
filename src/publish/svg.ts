/**
 * Diagram images: mermaid text → SVG or PNG in Debian's Chromium, driven by puppeteer. mermaid-cli
 * and puppeteer are optional dependencies (~500 MB), so they are imported only when an image is
 * asked for, and a missing one is a one-line error naming the package.
 * One browser *page*, with mermaid loaded once, serves every diagram of a run: mermaid-cli's
 * `renderMermaid` opens a page and loads mermaid (and its layout plugins) for each diagram, which
 * cost more than drawing a 50-message diagram (issue 13). The page is set up as mermaid-cli sets up
 * its own, so the images are the same bytes (test/render/svg-page.browser.test.ts compares them).
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors.js';
import { importPackage, resolvePackage } from '../packages.js';

/** The image formats mermaid-cli renders that a Markdown page can show. */
export type ImageFormat = 'svg' | 'png';

/** Flags measured to work here: root needs --no-sandbox; the rest keep Chromium off the network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

export interface DiagramRendererOptions {
  /** Path of the Chromium executable. */
  chromiumPath: string;
  /** Device scale factor of PNG images (1 = mermaid-cli's default). */
  pngScale?: number;
}

/** One diagram to render: its text and, for error messages, where it sits. */
export interface DiagramSource {
  definition: string;
  /** The page (file path) the diagram belongs to. */
  page: string;
  /** Which of the page's diagrams this is (`full`, `summary`), for error messages. */
  view: string;
  /** 1-based line of the page where the diagram's first line (`sequenceDiagram`) is, or null. */
  firstLine: number | null;
}

export interface DiagramRenderer {
  /** Renders one diagram; a mermaid syntax error becomes a UserError naming the page and line. */
  render(source: DiagramSource, format: ImageFormat): Promise<Uint8Array>;
  close(): Promise<void>;
}

// The slice of the optional packages' APIs used here, typed locally so the build never needs them.
interface Viewport {
  width: number;
  height: number;
  deviceScaleFactor: number;
}
interface Clip {
  x: number;
  y: number;
  width: number;
  height: number;
}
interface RequestLike {
  url(): string;
  respond(response: { status: number; headers: Record<string, string>; contentType: string; body: Buffer }): Promise<void>;
  abort(): Promise<void>;
  continue(): Promise<void>;
}
export interface PageLike {
  goto(url: string): Promise<unknown>;
  setRequestInterception(on: boolean): Promise<void>;
  setViewport(viewport: Viewport): Promise<void>;
  evaluate<A, R>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  evaluate(expression: string): Promise<unknown>;
  screenshot(options: { clip: Clip; omitBackground: boolean }): Promise<Uint8Array>;
  on(event: 'console', handler: (message: { text(): string }) => void): unknown;
  on(event: 'request', handler: (request: RequestLike) => void): unknown;
  close(): Promise<void>;
}
export interface BrowserLike {
  newPage(): Promise<PageLike>;
  close(): Promise<void>;
}
interface Puppeteer {
  launch(options: { executablePath: string; args: string[]; headless: boolean }): Promise<BrowserLike>;
}

/** Mermaid settings for images: stable ids so the same capture gives the same SVG. */
export const IMAGE_MERMAID_CONFIG = {
  deterministicIds: true,
  deterministicIDSeed: 'flowscribe',
  maxTextSize: 10_000_000,
};

/** The command that installs the optional image packages into this flowscribe, at its own pinned versions. */
export function optionalInstallCommand(): string {
  const root = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    optionalDependencies?: Record<string, string>;
  };
  const specs = Object.entries(pkg.optionalDependencies ?? {}).map(([name, version]) => `${name}@${version}`);
  // --prefix the package itself: works for a global and a local install alike, and puppeteer's
  // install script then finds the shipped .puppeteerrc.cjs (no browser download).
  return `npm install --no-save --prefix ${root} ${specs.join(' ')}`;
}

/** Imports an optional package; when it (or one it needs) is missing, says which to install. */
export async function importOptional<T>(specifier: string, flag: string): Promise<T> {
  try {
    return await importPackage<T>(specifier);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw err;
    const missing = /Cannot find (?:package|module) '([^']+)'/.exec((err as Error).message)?.[1] ?? specifier;
    const name = missing.startsWith('/') ? specifier : missing;
    throw new UserError(`${flag} needs the optional npm package ${name}, which is not installed`, 1, `run: ${optionalInstallCommand()}`);
  }
}

/** Starts Chromium and opens the diagram page once for a run of diagrams; call close() in a finally. */
export async function openDiagramRenderer(options: DiagramRendererOptions, flag: string): Promise<DiagramRenderer> {
  if (!existsSync(options.chromiumPath)) {
    throw new UserError(
      `${flag}: Chromium not found at ${options.chromiumPath}`,
      1,
      'install the Debian package chromium (apt-get install chromium)',
    );
  }
  const puppeteer = (await importOptional<{ default: Puppeteer }>('puppeteer', flag)).default;
  const browser = await puppeteer.launch({ executablePath: options.chromiumPath, args: CHROMIUM_ARGS, headless: true });
  try {
    const renderer = await openDiagramPage(browser, flag, options.pngScale ?? 1);
    return { render: renderer.render, close: () => renderer.close().finally(() => browser.close()) };
  } catch (err) {
    await browser.close();
    throw err;
  }
}

/** mermaid-cli's page (its `dist/index.html`: one `#container`), as its `renderMermaid` starts it. */
async function diagramPageUrl(flag: string): Promise<string> {
  try {
    return new URL('../dist/index.html', await resolvePackage('@mermaid-js/mermaid-cli')).href;
  } catch {
    throw new UserError(`${flag} needs the optional npm package @mermaid-js/mermaid-cli, which is not installed`, 1, `run: ${optionalInstallCommand()}`);
  }
}

/** mermaid's ES module build, the file mermaid-cli loads (mermaid is a regular dependency). */
async function mermaidDist(): Promise<string> {
  return dirname(fileURLToPath(await resolvePackage('mermaid')));
}
const MERMAID_ENTRY = 'mermaid.esm.mjs';

/** A made-up origin the page imports mermaid's modules from; the requests are answered from its dist/. */
const MODULE_ORIGIN = 'https://flowscribe-mermaid.invalid';

/**
 * Answers the page's requests for mermaid's modules from its dist/ (Chromium imports no ES
 * modules from file: URLs), refusing anything outside it; every other request goes on as asked.
 */
function serveMermaidModules(request: RequestLike, dist: string): void {
  const url = request.url();
  if (!url.startsWith(`${MODULE_ORIGIN}/`)) {
    void request.continue();
    return;
  }
  const file = join(dist, decodeURIComponent(new URL(url).pathname));
  const inside = relative(dist, file);
  if (inside.startsWith('..') || isAbsolute(inside) || !/\.m?js$/.test(file)) {
    void request.abort();
    return;
  }
  readFile(file).then(
    (body) => request.respond({ status: 200, headers: { 'Access-Control-Allow-Origin': '*' }, contentType: 'application/javascript', body }),
    () => request.abort(),
  );
}

/** What a fresh page has before anything sets it: puppeteer's default viewport. */
const DEFAULT_VIEWPORT: Viewport = { width: 800, height: 600, deviceScaleFactor: 1 };

/**
 * One page of `browser` with mermaid loaded, rendering diagrams one at a time (renders are queued:
 * they share the page's `#container` and viewport).
 */
export async function openDiagramPage(browser: BrowserLike, flag: string, pngScale = 1): Promise<DiagramRenderer> {
  const url = await diagramPageUrl(flag);
  const page = await browser.newPage();
  page.on('console', (message) => console.warn(message.text()));
  await page.goto(url);
  await page.evaluate(setBackground, BACKGROUND);
  const dist = await mermaidDist();
  page.on('request', (request) => serveMermaidModules(request, dist));
  await page.setRequestInterception(true);
  // The ES module build, as mermaid-cli loads it: the IIFE build holds every diagram type and took
  // seconds to evaluate; this loads its core and, at the first diagram, the sequence diagram's code.
  await page.evaluate(loadMermaid(`${MODULE_ORIGIN}/${MERMAID_ENTRY}`));
  let viewport = DEFAULT_VIEWPORT;
  let queue: Promise<unknown> = Promise.resolve();
  const renderNow = async (source: DiagramSource, format: ImageFormat): Promise<Uint8Array> => {
    // mermaid-cli's viewport: its own default with the asked pixel density for PNG, none for SVG.
    const wanted = format === 'png' ? { width: 800, height: 600, deviceScaleFactor: pngScale } : DEFAULT_VIEWPORT;
    if (wanted !== viewport) await page.setViewport((viewport = wanted));
    try {
      const drawn = await page.evaluate(drawDiagram, { definition: source.definition, config: IMAGE_MERMAID_CONFIG, background: BACKGROUND });
      if (format === 'svg') return new TextEncoder().encode(renumberLifelines(drawn.svg));
      // As mermaid-cli does: the page grows to the diagram, which is then photographed alone.
      await page.setViewport((viewport = { ...wanted, width: drawn.clip.x + drawn.clip.width, height: drawn.clip.y + drawn.clip.height }));
      return await page.screenshot({ clip: drawn.clip, omitBackground: false });
    } catch (err) {
      throw describeMermaidError(err, source);
    }
  };
  return {
    render: (source, format) => {
      const result = queue.then(() => renderNow(source, format));
      queue = result.catch(() => undefined);
      return result;
    },
    close: () => queue.then(() => page.close()),
  };
}

const BACKGROUND = 'white';

/**
 * mermaid numbers the lifelines of sequence diagrams (`id="actor3"`, and `actor3_popup`, `root-3`
 * with links) with a counter it never resets, so on a reused page a diagram's numbers start where
 * the previous diagram's ended: renumbered here from 0, as a fresh page numbers them.
 */
export function renumberLifelines(svg: string): string {
  const numbers = [...svg.matchAll(/ id="actor(\d+)"/g)].map((m) => Number(m[1]));
  const first = numbers.length ? Math.min(...numbers) : 0;
  if (first === 0) return svg;
  const shift = (_: string, head: string, n: string, tail: string) => `${head}${Number(n) - first}${tail}`;
  return svg
    .replace(/( id="actor)(\d+)((?:_popup)?")/g, shift)
    .replace(/( id="root-)(\d+)(")/g, shift)
    .replace(/(getElementById\('actor)(\d+)(_popup'\))/g, shift);
}

// The two functions below run inside the page (puppeteer sends their source): no closures, and the
// page's globals reached through `globalThis`, typed here by hand (the build has no DOM types).
interface InPageElement {
  innerHTML: string;
  style: { background: string; backgroundColor: string };
  getElementsByTagName(name: string): ArrayLike<InPageElement>;
  getBoundingClientRect(): { left: number; top: number; width: number; height: number };
}
interface InPage {
  document: { body: InPageElement; getElementById(id: string): InPageElement | null };
  mermaid: {
    initialize(config: Record<string, unknown>): void;
    render(id: string, text: string, container: InPageElement): Promise<{ svg: string }>;
  };
  XMLSerializer: new () => { serializeToString(node: InPageElement): string };
}

/** In-page code importing mermaid as `globalThis.mermaid` (text: a bundler or test runner rewrites `import()` in functions). */
function loadMermaid(url: string): string {
  return `import(${JSON.stringify(url)}).then((m) => { globalThis.mermaid = m.default; })`;
}

function setBackground(color: string): void {
  (globalThis as unknown as InPage).document.body.style.background = color;
}

/** mermaid-cli's steps for one diagram: initialize, render into `#container`, serialize as XML. */
async function drawDiagram(arg: { definition: string; config: Record<string, unknown>; background: string }): Promise<{ svg: string; clip: Clip }> {
  const page = globalThis as unknown as InPage;
  const container = page.document.getElementById('container');
  if (!container) throw new Error('diagram page without #container');
  container.innerHTML = '';
  page.mermaid.initialize({ startOnLoad: false, ...arg.config });
  const { svg: text } = await page.mermaid.render('my-svg', arg.definition, container);
  container.innerHTML = text;
  const svg = container.getElementsByTagName('svg')[0];
  if (!svg) throw new Error('mermaid drew no <svg>');
  svg.style.backgroundColor = arg.background;
  const box = svg.getBoundingClientRect();
  const clip = { x: Math.floor(box.left), y: Math.floor(box.top), width: Math.ceil(box.width), height: Math.ceil(box.height) };
  return { svg: new page.XMLSerializer().serializeToString(svg), clip };
}

/** Turns mermaid's "Parse error on line N: ..." into `page:line: mermaid syntax error: ...`. */
export function describeMermaidError(err: unknown, source: DiagramSource): Error {
  const message = err instanceof Error ? err.message : String(err);
  const parse = /(?:Parse error|Lexical error) on line (\d+)/.exec(message);
  if (!parse) return err instanceof Error ? err : new Error(message);
  const diagramLine = Number(parse[1]);
  // With images the page links the image instead of holding the diagram, so only the diagram's line is known.
  const where =
    source.firstLine === null
      ? `${source.page} (${source.view} diagram, line ${diagramLine})`
      : `${source.page}:${source.firstLine + diagramLine - 1}`;
  const detail = message.split('\n').find((l) => /^Expecting|^Unrecognized/.test(l.trim())) ?? message.split('\n')[0];
  return new UserError(`${where}: mermaid syntax error: ${detail?.trim() ?? ''}`);
}
