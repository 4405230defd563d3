/**
 * `renderPage`: a capture → the page, its log and its diagrams. The model builds the two views
 * (full, and the summary that folds the config's `summaryExclude`); `page.ts` renders them.
 */
import type { Capture } from '../model/exchange.js';
import { buildTimeline, type TimelineOptions } from '../model/timeline.js';
import { renderTimelines, type PageOptions, type RenderedPage } from './page.js';

/** Model options for both views, plus how the page is written. */
export type RenderOptions = Omit<TimelineOptions, 'view'> & PageOptions;

export type { RenderedPage };

export function renderPage(capture: Capture, options: RenderOptions): RenderedPage {
  const model = { config: options.config, secrets: options.secrets, include: options.include, exclude: options.exclude };
  return renderTimelines(
    {
      header: capture.header,
      trailer: capture.trailer,
      full: buildTimeline(capture, { ...model, view: 'full' }),
      summary: buildTimeline(capture, { ...model, view: 'summary' }),
    },
    options,
  );
}
