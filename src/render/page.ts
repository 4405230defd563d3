/**
 * A capture as a page: the Markdown (templates over the page view), the raw log the page includes,
 * and the mermaid sources of both views. Pure: no I/O beyond what the caller passes in.
 *
 * Arrangement: `## Sequence Diagram` holds the variables and the summary diagram (folded exchanges
 * left out, numbers kept), then the full diagram under the profile's heading (OpenStack:
 * `## Sequence Diagram (with limits)`), whose numbers are the `### (n)` sections'. When the summary
 * folds nothing, only the full diagram shows.
 */
import type { HeaderRecord, TrailerRecord } from '../model/exchange.js';
import type { Lang } from '../model/page-lang.js';
import { profileFor } from '../model/profiles/choose.js';
import type { Profile } from '../model/profiles/profile.js';
import type { Timeline } from '../model/timeline.js';
import type { TokenEntry } from '../model/token-view.js';
import { renderLog } from './log.js';
import { joinChunks, type TextChunks } from './text-chunks.js';
import { renderMermaid } from './mermaid.js';
import { buildPageView } from './page-view.js';
import type { Templates } from './templates.js';

export interface PageOptions {
  lang: Lang;
  /** Show the `.vscode/launch.json` block. */
  launchJson: boolean;
  templates: Templates;
  /** Path written in the `--8<--` line, relative to the snippets base dir. */
  logInclude: string;
  /** Relative image links that replace the mermaid blocks (`--svg`/`--png`); null = mermaid. */
  images: { full: string | null; summary: string | null };
  /** Replaces the command's words as the page heading, with a description under it. */
  heading?: { title: string; description: string | null };
  /** Timing lines, durations on response arrows, and a waterfall (`--timings`). */
  timings?: boolean;
}

export interface RenderedPage {
  /** The page's Markdown as its chunks (what is written: the page is never joined for that). */
  markdownChunks: TextChunks;
  /** The page's Markdown as one string (joined on first use). */
  readonly markdown: string;
  /** The raw log the page includes, as its chunks. */
  logChunks: TextChunks;
  /** The raw log as one string (joined on first use). */
  readonly log: string;
  /** Mermaid sources of the full and summary views. */
  diagrams: { full: string; summary: string };
  /** The tokens of the Tokens section (`--tokens`), or null. */
  tokens?: TokenEntry[] | null;
}

/** What a page is made of: the capture's header and trailer and its two views. */
export interface PageTimelines {
  header: HeaderRecord;
  trailer: TrailerRecord | null;
  full: Timeline;
  summary: Timeline;
  /** The tokens for a Tokens section (`--tokens`), or null. */
  tokens?: TokenEntry[] | null;
  /** The profile the timelines were built with; chosen from the header and exchanges when absent. */
  profile?: Profile | null;
}

/** Only newlines (or nothing). */
const NEWLINES = /^\n*$/;

/**
 * Exactly one final newline (templates may end with blank lines), over the page's chunks: what
 * `text.replace(/\n*$/, '\n')` is over their join. The common case keeps every chunk as it is.
 */
export function normaliseEnd(chunks: TextChunks): TextChunks {
  let n = chunks.length;
  while (n > 0 && NEWLINES.test(chunks[n - 1] as string)) n -= 1;
  if (n === 0) return ['\n'];
  const last = chunks[n - 1] as string;
  let end = last.length;
  while (end > 0 && last[end - 1] === '\n') end -= 1;
  if (end === last.length - 1) return n === chunks.length ? chunks : chunks.slice(0, n);
  return [...chunks.slice(0, n - 1), last.slice(0, end), '\n'];
}

/** `chunks` joined the first time it is asked for. */
function joinedOnce(chunks: TextChunks): () => string {
  let text: string | null = null;
  return () => (text ??= joinChunks(chunks));
}

export function renderTimelines(input: PageTimelines, options: PageOptions): RenderedPage {
  const log = renderLog(input.full);
  const exchanges = input.full.arrows.map((a) => a.exchange);
  const { wording } = profileFor({ header: input.header, exchanges }, input.profile);
  const view = buildPageView({ ...input, log, wording }, options);
  const markdownChunks = normaliseEnd(options.templates.pageChunks(view));
  const markdown = joinedOnce(markdownChunks);
  const joinedLog = joinedOnce(log);
  return {
    markdownChunks,
    get markdown() {
      return markdown();
    },
    logChunks: log,
    get log() {
      return joinedLog();
    },
    diagrams: { full: view.full.mermaid, summary: view.summary?.mermaid ?? renderMermaid(input.summary, { timings: options.timings ?? false }) },
    tokens: input.tokens ?? null,
  };
}
