/**
 * The page's view: everything the templates print, already formatted, fenced and pre-indented, so
 * the templates hold no logic beyond `each`/`if`.
 */
import type { Body, HeaderRecord, TrailerRecord } from '../model/exchange.js';
import type { Arrow, Timeline, Variable } from '../model/timeline.js';
import { presentArrowBody, presentBody } from './body-view.js';
import { commandLine, commandLines, commandName, launchJson } from './command-view.js';
import { escapeSnippetMarkers, fenceFor, fenceTitle, indentLater } from './fence.js';
import { commandLabels, labelsFor, type Labels, type Lang } from './labels.js';
import { renderMermaid } from './mermaid.js';

export interface FencedText {
  fence: string;
  /** Pre-indented for a 4-space-indented block (later lines carry the indent). */
  text: string;
}

export interface ArrowView {
  n: number;
  label: string;
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
  labels: Labels;
  command: (FencedText & { heading: string; blockTitle: string }) | null;
  launchJson: FencedText | null;
  empty: boolean;
  /** Whether some calls were background (the page then says what their mark means). */
  background: boolean;
  variables: Variable[];
  summary: DiagramView | null;
  full: DiagramView;
  arrows: ArrowView[];
  logs: { title: string; path: string; fence: string };
  output: (FencedText & { lang: string; title: string }) | null;
}

export interface PageInput {
  header: HeaderRecord;
  trailer: TrailerRecord | null;
  full: Timeline;
  summary: Timeline;
  /** The raw log's text (its fence must outlast any backtick run in it). */
  log: string;
}

export interface PageViewOptions {
  lang: Lang;
  launchJson: boolean;
  /** Path written in the `--8<--` line (relative to the snippets base dir). */
  logInclude: string;
  images: { full: string | null; summary: string | null };
}

/** Captured text as it goes into an indented block. */
function fenced(text: string, indent: string): FencedText {
  const safe = escapeSnippetMarkers(text);
  return { fence: fenceFor(safe), text: indentLater(safe, indent) };
}

export function arrowView(arrow: Arrow): ArrowView {
  const headerText = arrow.message.headers.map(([name, value]) => `${name}: ${value}`).join('\n');
  const body = presentArrowBody(arrow.message.body, arrow.kind, arrow.exchange);
  return {
    n: arrow.n,
    label: arrow.label,
    header: { ...fenced(headerText, '    '), title: fenceTitle(arrow.message.httpTitle) },
    body: { ...fenced(body.text, '    '), lang: body.lang },
  };
}

function outputView(trailer: TrailerRecord | null, argv: string[] | null, labels: Labels): PageView['output'] {
  const title = fenceTitle(argv ? commandLine(argv) : '');
  if (trailer === null) return { ...fenced(labels.noOutput, ''), lang: 'text', title };
  const stdout: Body | null = trailer.stdout;
  if (stdout === null || (stdout.encoding === 'utf8' && stdout.data.trim() === '')) return null;
  const body = presentBody(stdout, 'response');
  return { ...fenced(body.text, ''), lang: body.lang, title };
}

/** Whether the summary view shows fewer arrows than the full one (else only one diagram is shown). */
function foldsAnything(input: PageInput): boolean {
  return input.summary.arrows.length < input.full.arrows.length;
}

export function buildPageView(input: PageInput, options: PageViewOptions): PageView {
  const labels = labelsFor(options.lang);
  const argv = input.header.argv && input.header.argv.length > 0 ? input.header.argv : null;
  const diagram = (timeline: Timeline, image: string | null): DiagramView => ({
    mermaid: renderMermaid(timeline),
    image,
    alt: labels.diagramAlt,
  });
  return {
    title: argv ? commandName(argv).join(' ') : labels.untitled,
    labels,
    command: argv ? { ...fenced(commandLines(argv), ''), ...commandLabels(argv[0] ?? '') } : null,
    launchJson:
      argv && options.launchJson ? fenced(launchJson(argv, input.header.environment, input.header.executable), '    ') : null,
    empty: input.full.arrows.length === 0,
    background: input.full.backgroundCount > 0,
    // The page's legend, not the summary's: section titles and the full diagram use them all (as the reference lists `image_endpoint_id`).
    variables: input.full.variables,
    summary: foldsAnything(input) ? diagram(input.summary, options.images.summary) : null,
    full: diagram(input.full, options.images.full),
    arrows: input.full.arrows.map(arrowView),
    logs: {
      title: `${argv ? commandName(argv).join(' ') : labels.untitled} logs`,
      path: fenceTitle(options.logInclude),
      fence: fenceFor(input.log),
    },
    output: outputView(input.trailer, argv, labels),
  };
}
