/**
 * The page's view: everything the templates print, already formatted, fenced and pre-indented, so
 * the templates hold no logic beyond `each`/`if`.
 */
import type { Body, HeaderRecord, TrailerRecord } from '../model/exchange.js';
import type { Arrow, Timeline, Variable } from '../model/timeline.js';
import { presentArrowBody, presentBody } from './body-view.js';
import { commandLine, commandLines, commandName, launchJson } from './command-view.js';
import { escapeSnippetMarkers, fenceFor, fenceTitle, indentLater } from './fence.js';
import { commandLabels, labelsFor, type Labels } from './labels.js';
import type { Lang } from '../model/page-lang.js';
import type { PageWording } from '../model/profiles/profile.js';
import { clientSaw, exchangeOutcome } from '../model/exchange-outcome.js';
import { shellScript } from '../model/source-names.js';
import { exchangeTiming, formatMs } from '../model/exchange-timing.js';
import { lazyItems } from './lazy-items.js';
import { renderTokenSection } from './token-section.js';
import { renderWaterfall } from './waterfall.js';
import { captureOriginNs } from '../model/exchange-timing.js';
import type { TokenEntry } from '../model/token-view.js';

export interface FencedText {
  fence: string;
  /** Pre-indented for a 4-space-indented block (later lines carry the indent). */
  text: string;
}

export interface ArrowView {
  n: number;
  label: string;
  /** An admonition line when the exchange failed or got a 4xx/5xx (what the client saw), else null. */
  notice: string | null;
  /** `Started +12.3 ms` / `Duration 45 ms · first byte after 40 ms` with `--timings`, else null. */
  timing: string | null;
  header: FencedText & { title: string };
  body: FencedText & { lang: string };
}

export interface DiagramView {
  mermaid: string;
  image: string | null;
  alt: string;
}

export interface PageView {
  title: string;
  /** Markdown under the title (a playbook step's description), or null. */
  description: string | null;
  labels: Labels;
  command: (FencedText & { heading: string; blockTitle: string }) | null;
  launchJson: FencedText | null;
  empty: boolean;
  /** Whether some calls were background (the page then says what their mark means). */
  background: boolean;
  variables: Variable[];
  summary: DiagramView | null;
  full: DiagramView;
  /** The `gantt` waterfall of the run (`--timings`), or null. */
  waterfall: string | null;
  /** The Tokens section's Markdown (`--tokens`), or null. */
  tokens: string | null;
  arrows: ArrowView[];
  logs: { title: string; path: string; fence: string };
  output: (FencedText & { lang: string; title: string }) | null;
}

export interface PageInput {
  header: HeaderRecord;
  trailer: TrailerRecord | null;
  full: Timeline;
  summary: Timeline;
  /** The fence of the log's block: longer than any backtick run in the log. */
  logFence: string;
  /** The mermaid sources of the full and summary views. */
  diagrams: { full: string; summary: string };
  /** The tokens the view shows (`--tokens`), or null for no Tokens section. */
  tokens?: TokenEntry[] | null;
  /** The profile's wording (what the summary folds, the command section, an empty request body). */
  wording: PageWording;
}

export interface PageViewOptions {
  lang: Lang;
  launchJson: boolean;
  /** Path written in the `--8<--` line (relative to the snippets base dir). */
  logInclude: string;
  images: { full: string | null; summary: string | null };
  /** A title and description that replace the command's words as the heading (playbook pages). */
  heading?: { title: string; description: string | null };
  /** Timing lines in sections, durations on response arrows, and the waterfall (`--timings`). */
  timings?: boolean;
}

/**
 * Captured text already indented for its block (`indentLater`) as it goes into it. Escaping after
 * indenting is the same as before: the indent is spaces after a line break, which the escape's
 * leading `[ \t]*` takes in, and backtick runs never span a line break.
 */
function fencedIndented(text: string): FencedText {
  const safe = escapeSnippetMarkers(text);
  return { fence: fenceFor(safe), text: safe };
}

/** Captured text as it goes into an indented block. */
function fenced(text: string, indent: string): FencedText {
  return fencedIndented(indentLater(text, indent));
}

/** `name: value` lines, every one but the first indented: `indentLater` of their join, without the join. */
function headerLines(headers: ReadonlyArray<readonly [string, string]>, indent: string): string {
  let text = '';
  for (let i = 0; i < headers.length; i += 1) {
    const [name, value] = headers[i] as readonly [string, string];
    const line = indentLater(`${name}: ${value}`, indent); // a recorded value may hold a line break
    text += i === 0 ? line : `\n${indent}${line}`;
  }
  return text;
}

/** The admonition of a section whose exchange did not end well; null when it did (or not here). */
export function arrowNotice(arrow: Arrow, hasResponseArrow: boolean): string | null {
  const e = arrow.exchange;
  const outcome = exchangeOutcome(e);
  // Said once per exchange: on the response section, or on the request's when there is none.
  if (outcome === 'ok' || (arrow.kind === 'request' && hasResponseArrow)) return null;
  const kind = outcome === 'http-error' ? 'warning' : 'failure';
  const head = e.state === 'failed' || e.state === 'aborted' ? `✕ ${e.error.code}: ` : e.state === 'incomplete' ? '⏳ incomplete: ' : '';
  return `!!! ${kind} "${`${head}${clientSaw(e)}`.replace(/"/g, "'")}"`;
}

/** The section's timing line (request: when it started; response: how long, first byte). */
export function arrowTiming(arrow: Arrow, originNs: number): string {
  const t = exchangeTiming(arrow.exchange, originNs);
  if (arrow.kind === 'request') return `*Started +${formatMs(t.startOffsetMs)} after the first request.*`;
  const duration = t.durationMs === null ? 'did not finish' : `took ${formatMs(t.durationMs)}`;
  const ttfb = t.ttfbMs === null ? 'no response head' : `first byte after ${formatMs(t.ttfbMs)}`;
  return `*Started +${formatMs(t.startOffsetMs)}, ${duration}, ${ttfb}.*`;
}

export interface ArrowViewOptions {
  /** Origin of the timing lines (ns); null: no timing lines. */
  originNs: number | null;
  /** Whether this exchange has a response arrow in the view. */
  hasResponseArrow: boolean;
  /** How an empty request body is shown (the profile's wording). */
  emptyRequestBody: string;
}

export function arrowView(arrow: Arrow, options: ArrowViewOptions): ArrowView {
  const header = fencedIndented(headerLines(arrow.message.headers, '    '));
  const body = presentArrowBody(arrow.message.body, arrow.kind, arrow.exchange, options.emptyRequestBody, '    ');
  const bodyBlock = fencedIndented(body.text);
  // Literals, not `{ ...fenced(), title }`: V8 gave every such spread object a hidden class of its
  // own (40,000 of them, 7 MB, at 10,000 exchanges), which also made every template lookup slow.
  return {
    n: arrow.n,
    label: arrow.label,
    notice: arrowNotice(arrow, options.hasResponseArrow),
    timing: options.originNs === null ? null : arrowTiming(arrow, options.originNs),
    header: { fence: header.fence, text: header.text, title: fenceTitle(arrow.message.httpTitle) },
    body: { fence: bodyBlock.fence, text: bodyBlock.text, lang: body.lang },
  };
}

function outputView(trailer: TrailerRecord | null, argv: string[] | null, labels: Labels): PageView['output'] {
  const title = fenceTitle(argv ? (shellScript(argv) ?? commandLine(argv)) : '');
  if (trailer === null) return { ...fenced(labels.noOutput, ''), lang: 'text', title };
  const stdout: Body | null = trailer.stdout;
  if (stdout === null || (stdout.encoding === 'utf8' && stdout.data.trim() === '')) return null;
  const body = presentBody(stdout, 'response');
  return { ...fencedIndented(body.text), lang: body.lang, title };
}

/** Whether the summary view shows fewer arrows than the full one (else only one diagram is shown). */
function foldsAnything(input: PageInput): boolean {
  return input.summary.arrows.length < input.full.arrows.length;
}

/** The page title: the command's name, or a shell script's text (not `sh`), on one line. */
function commandTitle(argv: string[]): string {
  const script = shellScript(argv);
  return script === null ? commandName(argv).join(' ') : script.replace(/\s*\n\s*/g, '; ').trim();
}

/** The command block: options one per line, or the script as the user wrote it after `sh -c`. */
function commandBlock(argv: string[], wording: PageWording): PageView['command'] {
  const script = shellScript(argv);
  if (script === null) return { ...fenced(commandLines(argv), ''), ...commandLabels(argv[0] ?? '', wording) };
  return { ...fenced(`$ ${script.trim()}`, ''), heading: 'Command', blockTitle: `${argv[0] ?? 'sh'} script` };
}

function labelOf(timeline: Timeline): (n: number) => string {
  const labels = new Map(timeline.arrows.map((a) => [a.n, a.label]));
  return (n) => labels.get(n) ?? '';
}

function sectionViews(full: Timeline, timings: boolean, emptyRequestBody: string): ArrowView[] {
  const originNs = timings ? captureOriginNs({ exchanges: full.arrows.map((a) => a.exchange) }) : null;
  const answered = new Set(full.arrows.filter((a) => a.kind === 'response').map((a) => a.exchange.seq));
  // Made as the template reaches each section (lazy-items.ts), not all before the page.
  return lazyItems(full.arrows, (a) => arrowView(a, { originNs, hasResponseArrow: answered.has(a.exchange.seq), emptyRequestBody }));
}

export function buildPageView(input: PageInput, options: PageViewOptions): PageView {
  const labels = labelsFor(options.lang, input.wording);
  const argv = input.header.argv && input.header.argv.length > 0 ? input.header.argv : null;
  const diagram = (mermaid: string, image: string | null): DiagramView => ({ mermaid, image, alt: labels.diagramAlt });
  return {
    title: options.heading?.title ?? (argv ? commandTitle(argv) : labels.untitled),
    description: options.heading?.description ?? null,
    labels,
    command: argv ? commandBlock(argv, input.wording) : null,
    launchJson:
      argv && options.launchJson ? fenced(launchJson(argv, input.header.environment, input.header.executable), '    ') : null,
    empty: input.full.arrows.length === 0,
    background: input.full.backgroundCount > 0,
    // The page's legend, not the summary's: section titles and the full diagram use them all (as the reference lists `image_endpoint_id`).
    variables: input.full.variables,
    summary: foldsAnything(input) ? diagram(input.diagrams.summary, options.images.summary) : null,
    full: diagram(input.diagrams.full, options.images.full),
    waterfall: options.timings && input.full.arrows.length > 0 ? renderWaterfall(input.full) : null,
    tokens: input.tokens ? renderTokenSection(input.tokens, labelOf(input.full)) || null : null,
    arrows: sectionViews(input.full, options.timings ?? false, input.wording.emptyRequestBody),
    logs: {
      title: `${argv ? commandTitle(argv) : labels.untitled} logs`,
      path: fenceTitle(options.logInclude),
      fence: input.logFence,
    },
    output: outputView(input.trailer, argv, labels),
  };
}
