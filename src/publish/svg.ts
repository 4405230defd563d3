/**
 * Diagram images: mermaid text → SVG or PNG through @mermaid-js/mermaid-cli's API, in Debian's
 * Chromium. mermaid-cli and puppeteer are optional dependencies (~500 MB), so they are imported
 * only when an image is asked for, and a missing one is a one-line error naming the package.
 * One browser serves every diagram of a run (a start costs ~2 s, a further diagram ~0.6 s).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors.js';

/** The image formats mermaid-cli renders that a Markdown page can show. */
export type ImageFormat = 'svg' | 'png';

// Only for bench/svg.mjs (not ours to edit here): everything else imports it from defaults.ts.
export { DEBIAN_CHROMIUM } from '../defaults.js';

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
interface BrowserLike {
  close(): Promise<void>;
}
interface MermaidCli {
  renderMermaid(
    browser: never,
    definition: string,
    format: ImageFormat,
    options: {
      mermaidConfig: Record<string, unknown>;
      backgroundColor: string;
      viewport?: { width: number; height: number; deviceScaleFactor: number };
    },
  ): Promise<{ data: Uint8Array }>;
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
    return (await import(specifier)) as T;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw err;
    const missing = /Cannot find (?:package|module) '([^']+)'/.exec((err as Error).message)?.[1] ?? specifier;
    const name = missing.startsWith('/') ? specifier : missing;
    throw new UserError(`${flag} needs the optional npm package ${name}, which is not installed`, 1, `run: ${optionalInstallCommand()}`);
  }
}

/** Starts Chromium once for a run of diagrams; call close() in a finally. */
export async function openDiagramRenderer(options: DiagramRendererOptions, flag: string): Promise<DiagramRenderer> {
  if (!existsSync(options.chromiumPath)) {
    throw new UserError(
      `${flag}: Chromium not found at ${options.chromiumPath}`,
      1,
      'install the Debian package chromium (apt-get install chromium)',
    );
  }
  const cli = await importOptional<MermaidCli>('@mermaid-js/mermaid-cli', flag);
  const puppeteer = (await importOptional<{ default: Puppeteer }>('puppeteer', flag)).default;
  const browser = await puppeteer.launch({ executablePath: options.chromiumPath, args: CHROMIUM_ARGS, headless: true });
  return {
    render: (source, format) => renderOne(cli, browser, source, format, options.pngScale ?? 1),
    close: () => browser.close(),
  };
}

async function renderOne(
  cli: MermaidCli,
  browser: BrowserLike,
  source: DiagramSource,
  format: ImageFormat,
  pngScale: number,
): Promise<Uint8Array> {
  try {
    const out = await cli.renderMermaid(browser as never, source.definition, format, {
      mermaidConfig: IMAGE_MERMAID_CONFIG,
      backgroundColor: 'white',
      // mermaid-cli's own default viewport, with the asked pixel density (SVG has no pixels).
      ...(format === 'png' ? { viewport: { width: 800, height: 600, deviceScaleFactor: pngScale } } : {}),
    });
    return out.data;
  } catch (err) {
    throw describeMermaidError(err, source);
  }
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
