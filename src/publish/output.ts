/**
 * Render a capture file to disk: the page and the raw log it includes. The `--8<--` line names the
 * log relative to the snippets base dir (pymdownx.snippets `base_path`): the page's directory by
 * default, `docs/` when the site builds every capture.
 */
import { accessSync, closeSync, constants, existsSync, fchmodSync, openSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import { UserError } from '../errors.js';
import { loadCapture } from '../model/load-capture.js';
import type { Capture } from '../model/exchange.js';
import { defaultConfig } from '../model/config.js';
import { renderPage, type RenderedPage, type RenderOptions } from '../render/capture-page.js';
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
 * A text file written chunk by chunk through one reused buffer, several slices per write: on the
 * machines measured, first touching fresh memory cost more than encoding it (a 10 MB page and its
 * 5 MB log were 15 MB of new buffers, each slice its own if encoded with `Buffer.from`). Slices
 * are at most `slice` + 1 UTF-16 units and never end between the halves of a surrogate pair (each
 * half alone would be written as U+FFFD), even where one chunk ends with the first half and the
 * next begins with the second.
 */
export class TextFileWriter {
  private readonly buffer: Buffer;
  private used = 0;
  private carry = ''; // the first half of a pair the last chunk ended with

  constructor(
    private readonly fd: number,
    private readonly slice = WRITE_SLICE,
  ) {
    // One UTF-16 unit is at most 3 bytes of UTF-8 (a surrogate pair, two units, is 4); +1: a pair kept whole.
    this.buffer = Buffer.allocUnsafe((slice + 1) * 3);
  }

  write(chunk: string): void {
    const text = this.carry ? this.carry + chunk : chunk;
    this.carry = '';
    for (let start = 0; start < text.length; ) {
      let end = Math.min(start + this.slice, text.length);
      if (isHighSurrogate(text.charCodeAt(end - 1))) {
        if (end < text.length) end += 1;
        else {
          this.carry = text.slice(end - 1);
          end -= 1;
        }
      }
      if (end > start) this.put(start === 0 && end === text.length ? text : text.slice(start, end));
      start = this.carry ? text.length : end;
    }
  }

  /** Writes what is left (a lone first half as the joined text would write it). */
  end(): void {
    if (this.carry) this.put(this.carry);
    this.carry = '';
    this.flush();
  }

  private put(piece: string): void {
    if (this.used + piece.length * 3 > this.buffer.length) this.flush();
    this.used += this.buffer.write(piece, this.used, 'utf8');
  }

  private flush(): void {
    for (let done = 0; done < this.used; ) done += writeSync(this.fd, this.buffer, done, this.used - done);
    this.used = 0;
  }
}

/**
 * A file written whole or not at all: to a name of its own beside it, renamed over it once
 * complete, so a page that fails halfway (a user's template missing a field) leaves the previous
 * one as it was. Opening fails as opening the file itself would (a directory, a read-only file);
 * a link is followed and the file it names replaced, keeping that file's permissions.
 */
class WholeFile {
  readonly writer: TextFileWriter;
  private readonly temporary: string;
  private readonly fd: number;

  private constructor(
    private readonly target: string,
    private readonly shown: string,
    private readonly flag: string,
  ) {
    let mode: number | undefined;
    const st = statSync(target, { throwIfNoEntry: false });
    if (st) {
      if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      accessSync(target, constants.W_OK);
      mode = st.mode & 0o7777;
    }
    makeDirectory(dirname(target));
    this.temporary = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
    this.fd = openSync(this.temporary, 'w', mode);
    if (mode !== undefined) fchmodSync(this.fd, mode); // the umask applied to the mode above
    this.writer = new TextFileWriter(this.fd);
  }

  /** Opens `path` (`flag` names it in errors: `-o`, `log`). */
  static open(path: string, flag: string): WholeFile {
    try {
      return new WholeFile(existsSync(path) ? realpathSync(path) : path, path, flag);
    } catch (err) {
      throw cannotWrite(flag, path, err);
    }
  }

  /** Puts the file in place. */
  commit(): void {
    try {
      this.writer.end();
      closeSync(this.fd);
      renameSync(this.temporary, this.target);
    } catch (err) {
      this.discard();
      throw cannotWrite(this.flag, this.shown, err);
    }
  }

  /** Removes what was written (the target is untouched). */
  discard(): void {
    try {
      closeSync(this.fd);
    } catch {
      // already closed by a commit that failed after it
    }
    rmSync(this.temporary, { force: true });
  }
}

function cannotWrite(flag: string, path: string, err: unknown): UserError {
  const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  return new UserError(`${flag} ${path}: cannot write (${code})`);
}

/**
 * The page and its log, each written as it is made (never held whole), each whole or not at all.
 * The page's path is opened first, so its errors come first, as when it was written first.
 */
function writePageFiles(page: RenderedPage, markdownPath: string, logPath: string): void {
  const markdown = WholeFile.open(markdownPath, '-o');
  let log: WholeFile;
  try {
    log = WholeFile.open(logPath, 'log');
  } catch (err) {
    markdown.discard();
    throw err;
  }
  try {
    page.writeTo({ log: (chunk) => log.writer.write(chunk), markdown: (chunk) => markdown.writer.write(chunk) });
  } catch (err) {
    markdown.discard();
    log.discard();
    throw err;
  }
  try {
    markdown.commit();
  } catch (err) {
    log.discard();
    throw err;
  }
  log.commit();
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
  writePageFiles(page, outMarkdownPath, logPath);
  let markdown: string | null = null;
  return {
    markdownPath: outMarkdownPath,
    logPath,
    warnings,
    diagrams: page.diagrams,
    // Read back only by a caller that needs it (the site, --svg): writing the page kept none of it.
    get markdown() {
      return (markdown ??= readFileSync(outMarkdownPath, 'utf8'));
    },
    capture,
    tokens: page.tokens,
  };
}
