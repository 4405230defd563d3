/**
 * `renderPage`: a capture → the page, its log and its diagrams. The model builds the full view;
 * the summary is the full view minus the config's `summaryExclude` (default: the unified-limits
 * calls), selected with the model's own filter code. Filters act on whole exchanges, so folding
 * the full view gives what `buildTimeline(…, {view: 'summary'})` gives, without resolving
 * participants and variables a second time (half the model's work on a large capture).
 */
import type { Capture } from '../model/exchange.js';
import { redactFrame } from '../model/redact.js';
import { splitUrl } from '../model/request-url.js';
import { buildTimeline, type Arrow, type Timeline, type TimelineOptions } from '../model/timeline.js';
import { defaultSummaryExclude, selectExchanges, type ExchangeFacts, type Filter } from '../model/views.js';
import { renderTimelines, type PageOptions, type RenderedPage } from './page.js';

/** Model options for both views, plus how the page is written. */
export type RenderOptions = Omit<TimelineOptions, 'view'> & PageOptions;

export type { RenderedPage };

/** A request arrow as the facts a filter matches (its label is `METHOD path-template`). */
function requestFacts(arrow: Arrow): ExchangeFacts {
  const method = arrow.exchange.request.method;
  const pathTemplate = arrow.label.slice(method.length + 1);
  return { exchange: arrow.exchange, from: arrow.from, to: arrow.to, path: splitUrl(arrow.exchange.request.url).path, pathTemplate };
}

/** The full view without the exchanges `exclude` matches, numbered 1.. like a model view. */
export function foldTimeline(full: Timeline, exclude: Filter[]): Timeline {
  const requests = full.arrows.filter((a) => a.kind === 'request').map(requestFacts);
  const kept = new Set(selectExchanges(requests, [], exclude).map((f) => f.exchange.seq));
  const arrows = full.arrows.filter((a) => kept.has(a.exchange.seq)).map((a, i) => ({ ...a, n: i + 1 }));
  const participants = full.participants.filter((p) => arrows.some((a) => a.from === p || a.to === p));
  return { participants, arrows, variables: full.variables };
}

export function renderPage(capture: Capture, options: RenderOptions): RenderedPage {
  const { config, secrets, include, exclude } = options;
  const full = buildTimeline(capture, { config, secrets, include, exclude, view: 'full' });
  const summary = foldTimeline(full, config.summaryExclude ?? defaultSummaryExclude());
  // The command line, environment and output are redacted like the arrows (`--secrets label` too).
  return renderTimelines({ ...redactFrame(capture, secrets), full, summary }, options);
}
