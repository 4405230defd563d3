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
  markdown: string;
  /** The raw log the page includes. */
  log: string;
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

/** Exactly one final newline (templates may end with blank lines). */
function normaliseEnd(text: string): string {
  // The common case returns the text itself: a copy of a 10 MB page is flattened again on write.
  if (text.endsWith('\n') && !text.endsWith('\n\n')) return text;
  let end = text.length;
  while (end > 0 && text[end - 1] === '\n') end -= 1;
  return `${text.slice(0, end)}\n`;
}

export function renderTimelines(input: PageTimelines, options: PageOptions): RenderedPage {
  const log = renderLog(input.full);
  const exchanges = input.full.arrows.map((a) => a.exchange);
  const { wording } = profileFor({ header: input.header, exchanges }, input.profile);
  const view = buildPageView({ ...input, log, wording }, options);
  return {
    markdown: normaliseEnd(options.templates.page(view)),
    log,
    diagrams: { full: view.full.mermaid, summary: view.summary?.mermaid ?? renderMermaid(input.summary, { timings: options.timings ?? false }) },
    tokens: input.tokens ?? null,
  };
}
