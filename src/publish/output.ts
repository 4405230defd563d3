/**
 * Render a capture file to disk: the page and the raw log it includes. The `--8<--` line names the
 * log relative to the snippets base dir (pymdownx.snippets `base_path`): the page's directory by
 * default, `docs/` when the site builds every capture.
 */
import { open } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import { UserError } from '../errors.js';
import { loadCapture } from '../model/load-capture.js';
import type { Capture } from '../model/exchange.js';
import { defaultConfig } from '../model/config.js';
import { renderPage, type RenderedPage, type RenderOptions } from '../render/capture-page.js';
import type { TextChunks } from '../render/text-chunks.js';
import { RENDER_DEFAULTS } from '../defaults.js';
import { loadTemplates } from './template-files.js';
import { makeDirectory } from '../make-directory.js';

/** Every rendering option; any left out takes its default (`RENDER_DEFAULTS`, shipped templates). */
export interface RenderFileOptions extends Partial<Omit<RenderOptions, 'logInclude' | 'images'>> {
  /** Where the log goes; default `<page dir>/logs/<page name>.log`. */
  logPath?: string;
  /** The snippets base dir the `--8<--` path is relative to; default the page's directory. */
  snippetsBase?: string;
  /** Relative image links replacing the mermaid blocks (`--svg`/`--png`); default none. */
  images?: RenderOptions['images'];
}

export interface RenderedFiles {
  markdownPath: string;
  logPath: string;
  /** Non-fatal problems of the capture (truncated last line, no trailer), each naming file:line. */
  warnings: string[];
  /** Mermaid sources of the full and summary views. */
  diagrams: { full: string; summary: string };
  /** The page as written (so callers need not read it back). */
  markdown: string;
  /** The capture the page was rendered from (so callers need not read it again). */
  capture: Capture;
  /** The Tokens section's tokens (`tokens: true`), or null. */
  tokens: RenderedPage['tokens'] | null;
}

/** `docs/x.md` → `docs/logs/x.log`. */
export function defaultLogPath(markdownPath: string): string {
  const name = basename(markdownPath, extname(markdownPath));
  return join(dirname(markdownPath), 'logs', `${name}.log`);
}

/** The log's path as the `--8<--` line names it (forward slashes, relative to the base). */
export function snippetPath(logPath: string, snippetsBase: string): string {
  return relative(resolve(snippetsBase), resolve(logPath)).split(sep).join('/');
}

/** UTF-16 units encoded per write: a page's worth at once would be a fresh buffer as large as the page. */
const WRITE_SLICE = 1 << 18;

const isHighSurrogate = (unit: number): boolean => unit >= 0xd800 && unit <= 0xdbff;

/**
 * A text's chunks as pieces of at most `slice` + 1 UTF-16 units, in order, never ending between the
 * halves of a surrogate pair (each half alone would be written as U+FFFD), even where one chunk
 * ends with the first half and the next begins with the second.
 */
function* slicesOf(chunks: TextChunks, slice: number): Generator<string> {
  let carry = ''; // the first half of a pair a chunk ended with
  for (const chunk of chunks) {
    const text = carry ? carry + chunk : chunk;
    carry = '';
    for (let start = 0; start < text.length; ) {
      let end = Math.min(start + slice, text.length);
      if (isHighSurrogate(text.charCodeAt(end - 1))) {
        if (end < text.length) end += 1;
        else {
          carry = text.slice(end - 1);
          end -= 1;
        }
      }
      if (end > start) yield text.slice(start, end);
      start = carry ? text.length : end;
    }
  }
  if (carry) yield carry;
}

/**
 * The text (one string or its chunks, text-chunks.ts) written through one reused buffer, several
 * slices per write: on the machines measured, first touching fresh memory cost more than encoding
 * it (a 10 MB page and its 5 MB log were 15 MB of new buffers, each slice its own if encoded with
 * `Buffer.from`), and chunks are never joined into one string.
 */
export async function writeSlices(path: string, text: string | TextChunks, slice = WRITE_SLICE): Promise<void> {
  // One UTF-16 unit is at most 3 bytes of UTF-8 (a surrogate pair, two units, is 4); +1: see slicesOf.
  const buffer = Buffer.allocUnsafe((slice + 1) * 3);
  const file = await open(path, 'w');
  let used = 0;
  const flush = async (): Promise<void> => {
    for (let done = 0; done < used; ) done += (await file.write(buffer, done, used - done)).bytesWritten;
    used = 0;
  };
  try {
    for (const piece of slicesOf(typeof text === 'string' ? [text] : text, slice)) {
      if (used + piece.length * 3 > buffer.length) await flush();
      used += buffer.write(piece, used, 'utf8');
    }
    await flush();
  } finally {
    await file.close();
  }
}

async function writeText(path: string, text: TextChunks, flag: string): Promise<void> {
  try {
    makeDirectory(dirname(path));
    await writeSlices(path, text);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new UserError(`${flag} ${path}: cannot write (${code})`);
  }
}

/** Every rendering option, defaults filled in, with the log's `--8<--` path. */
export function resolveRenderOptions(options: RenderFileOptions, logInclude: string): RenderOptions {
  return {
    config: options.config ?? defaultConfig(),
    secrets: options.secrets ?? RENDER_DEFAULTS.secrets,
    include: options.include ?? [],
    exclude: options.exclude ?? [],
    lang: options.lang ?? RENDER_DEFAULTS.lang,
    profile: options.profile ?? null,
    launchJson: options.launchJson ?? RENDER_DEFAULTS.launchJson,
    templates: options.templates ?? loadTemplates(),
    logInclude,
    images: options.images ?? { full: null, summary: null },
    timings: options.timings ?? RENDER_DEFAULTS.timings,
    tokens: options.tokens ?? RENDER_DEFAULTS.tokens,
    nest: options.nest ?? false,
    ...(options.heading ? { heading: options.heading } : {}),
  };
}

export async function renderCaptureFile(
  capturePath: string,
  outMarkdownPath: string,
  options: RenderFileOptions,
): Promise<RenderedFiles> {
  const capture = await loadCapture(capturePath);
  const logPath = options.logPath ?? defaultLogPath(outMarkdownPath);
  const logInclude = snippetPath(logPath, options.snippetsBase ?? dirname(outMarkdownPath));
  const warnings = [...capture.warnings];
  if (logInclude.startsWith('../')) {
    warnings.push(`${logPath}: outside the snippets base dir; mkdocs will not find the log (set --snippets-base)`);
  }
  const page = renderPage(capture, resolveRenderOptions(options, logInclude));
  await writeText(outMarkdownPath, page.markdownChunks, '-o');
  await writeText(logPath, page.logChunks, 'log');
  return {
    markdownPath: outMarkdownPath,
    logPath,
    warnings,
    diagrams: page.diagrams,
    // Joined only for a caller that reads it (the site, --svg): writing the page did not need it.
    get markdown() {
      return page.markdown;
    },
    capture,
    tokens: page.tokens,
  };
}
