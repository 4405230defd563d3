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
import { writeLog } from './log.js';
import { BacktickRuns } from './fence.js';
import { collectChunks, endingWithOneNewline, type Sink } from './text-chunks.js';
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

/** Where a page and its log go as they are made (text-chunks.ts). */
export interface PageSinks {
  log: Sink;
  markdown: Sink;
}

export interface RenderedPage {
  /**
   * Makes the log, then the page (whose log block's fence must outlast every backtick run of the
   * log), handing each chunk to its sink as it is made: neither is ever held whole.
   */
  writeTo(sinks: PageSinks): void;
  /** The page's Markdown as one string (made on first use). */
  readonly markdown: string;
  /** The raw log the page includes, as one string (made on first use). */
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

export function renderTimelines(input: PageTimelines, options: PageOptions): RenderedPage {
  const exchanges = input.full.arrows.map((a) => a.exchange);
  const { wording } = profileFor({ header: input.header, exchanges }, input.profile);
  const timings = { timings: options.timings ?? false };
  const diagrams = { full: renderMermaid(input.full, timings), summary: renderMermaid(input.summary, timings) };
  let fence: string | null = null;
  /** Writes the log; its fence, the page's log block's, is measured on the way. */
  const writeLogTo = (sink: Sink): string => {
    const runs = new BacktickRuns();
    writeLog(input.full, (chunk) => {
      runs.add(chunk);
      sink(chunk);
    });
    return (fence = runs.fence());
  };
  const writeMarkdownTo = (sink: Sink): void => {
    // The page alone (no log written first) still needs the log's fence.
    const logFence = fence ?? writeLogTo(() => undefined);
    const view = buildPageView({ ...input, logFence, diagrams, wording }, options);
    const ending = endingWithOneNewline(sink);
    options.templates.pageTo(view, ending.sink);
    ending.end();
  };
  let markdown: string | null = null;
  let log: string | null = null;
  return {
    writeTo(sinks) {
      writeLogTo(sinks.log);
      writeMarkdownTo(sinks.markdown);
    },
    get markdown() {
      return (markdown ??= collectChunks(writeMarkdownTo).join(''));
    },
    get log() {
      return (log ??= collectChunks(writeLogTo).join(''));
    },
    diagrams,
    tokens: input.tokens ?? null,
  };
}
