/**
 * `renderPage`: a capture → the page, its log and its diagrams. The profile (`--profile`, else
 * chosen from the capture) is settled once and used by every step. The model builds both views in
 * one pass (`buildTimelines`): the full one, and the summary without the config's `summaryExclude`
 * (default: the profile's, OpenStack's unified-limits calls).
 */
import { captureParents } from '../model/causality.js';
import type { Capture } from '../model/exchange.js';
import { profileFor } from '../model/profiles/choose.js';
import { redactFrame } from '../model/redact.js';
import { buildTokenView } from '../model/token-view.js';
import { buildTimelines, type TimelineOptions } from '../model/timeline.js';
import { sharingParsedBodies } from '../model/json-body.js';
import type { Profile } from '../model/profiles/profile.js';
import { renderTimelines, type PageOptions, type PageTimelines, type RenderedPage } from './page.js';

/** Model options for both views, plus how the page is written. */
export type RenderOptions = Omit<TimelineOptions, 'view'> & PageOptions & {
  /** Draw activation bars for exchanges that caused others (`--nest`); off: as the reference draws it. */
  nest?: boolean;
  /** Add the Tokens section (`--tokens`). */
  tokens?: boolean;
};

export type { RenderedPage };

export function renderPage(capture: Capture, options: RenderOptions): RenderedPage {
  const profile = profileFor(capture, options.profile);
  // The model's steps share parsed bodies; the page is made after they are let go.
  const model = sharingParsedBodies(() => pageModel(capture, options, profile));
  return renderTimelines({ ...model, profile }, options);
}

function pageModel(capture: Capture, options: RenderOptions, profile: Profile): Omit<PageTimelines, 'profile'> {
  const { config, secrets, include, exclude } = options;
  // One pass over the capture gives both views (the summary spares the command's own calls).
  const views = buildTimelines(capture, { config, secrets, include, exclude, profile });
  const nested = options.nest ? new Set(captureParents(capture, config, profile).values()) : undefined;
  const [full, summary] = nested ? [{ ...views.full, nested }, { ...views.summary, nested }] : [views.full, views.summary];
  // The command line, environment and output are redacted like the arrows (`--secrets label` too).
  const tokens = options.tokens ? buildTokenView(capture, full.arrows, profile) : null;
  return { ...redactFrame(capture, secrets, profile), full, summary, tokens };
}
