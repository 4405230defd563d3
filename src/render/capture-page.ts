/**
 * `renderPage`: a capture → the page, its log and its diagrams. The model builds both views in one
 * pass (`buildTimelines`): the full one, and the summary without the config's `summaryExclude`
 * (default: the services' unified-limits calls).
 */
import type { Capture } from '../model/exchange.js';
import { redactFrame } from '../model/redact.js';
import { buildTokenView } from '../model/token-view.js';
import { buildTimelines, type TimelineOptions } from '../model/timeline.js';
import { renderTimelines, type PageOptions, type RenderedPage } from './page.js';

/** Model options for both views, plus how the page is written. */
export type RenderOptions = Omit<TimelineOptions, 'view'> & PageOptions & {
  /** Add the Tokens section (`--tokens`). */
  tokens?: boolean;
};

export type { RenderedPage };

export function renderPage(capture: Capture, options: RenderOptions): RenderedPage {
  const { config, secrets, include, exclude } = options;
  // One pass over the capture gives both views (the summary spares the command's own calls).
  const { full, summary } = buildTimelines(capture, { config, secrets, include, exclude });
  // The command line, environment and output are redacted like the arrows (`--secrets label` too).
  const tokens = options.tokens ? buildTokenView(capture, full.arrows) : null;
  return renderTimelines({ ...redactFrame(capture, secrets), full, summary, tokens }, options);
}
