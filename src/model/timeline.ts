/**
 * The timeline: a capture turned into numbered arrows between named participants — what both the
 * mermaid diagram and the page's `### (n)` sections are made from, so their numbers always agree.
 * Types first (the contract between model and renderers); the implementation follows below them.
 */
import type { Body, Capture, ExchangeRecord, RawHeaders } from './exchange.js';
import type { FlowscribeConfig } from './config.js';
import { backgroundExchanges } from './background.js';
import { orderEvents, type ExchangeEvent } from './exchange-events.js';
import { resolveParticipants } from './participants.js';
import { profileFor } from './profiles/choose.js';
import type { Profile } from './profiles/profile.js';
import { redactCapture, type SecretsMode } from './redact.js';
import { splitUrl } from './request-url.js';
import { inferVariables, type VariableTable } from './variables.js';
import { sharingParsedBodies } from './json-body.js';
import { matchesFilter, selectExchanges, type ExchangeFacts, type Filter } from './views.js';

export { BACKGROUND_MARK, type Arrow, type ArrowMessage, type Participant, type Timeline, type Variable } from './flow.js';
import { BACKGROUND_MARK, type Arrow, type Participant, type Timeline, type Variable } from './flow.js';

// ---------------------------------------------------------------------------------------------
// Implementation: capture → participants and variables (over the whole capture, so names are the
// same in every view) → the view's exchanges → numbered arrows with secrets redacted.

export interface TimelineOptions {
  config: FlowscribeConfig;
  /** How secrets appear (`mask` by default in the CLI). */
  secrets: SecretsMode;
  /** `summary` also drops the config's `summaryExclude` (default: the profile's, OpenStack's unified-limits calls). */
  view: 'full' | 'summary';
  /** Names participants and variables, folds the summary; chosen from the capture when absent. */
  profile?: Profile | null;
  /** Keep only exchanges matching any of these (all when empty). */
  include: Filter[];
  /** Drop exchanges matching any of these. */
  exclude: Filter[];
}

/** What the arrows of one exchange need: its ends, its paths, and its redacted record. */
interface ExchangeView extends ExchangeFacts {
  /** The exchange with secrets redacted (what arrows carry). */
  shown: ExchangeRecord;
  /** The query string with its `?`, or `''`. */
  query: string;
  /** Variables used in the path template, in order. */
  used: readonly Variable[];
  /** A service's call the command did not cause. */
  background: boolean;
}

const EMPTY_BODY: Body = {
  sizeBytes: 0,
  // SHA-256 of zero bytes.
  sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  mediaType: null,
  contentEncoding: null,
  encoding: 'utf8',
  data: '',
  truncatedBytes: 0,
  file: null,
};

interface ViewContext {
  variables: VariableTable;
  secrets: SecretsMode;
  profile: Profile;
  ends: (e: ExchangeRecord) => [Participant, Participant];
  background: Set<ExchangeRecord>;
}

function exchangeViews(capture: Capture, { variables, secrets, profile, ends, background }: ViewContext): Map<ExchangeRecord, ExchangeView> {
  const shown = redactCapture(capture, secrets, profile).exchanges;
  const views = new Map<ExchangeRecord, ExchangeView>();
  capture.exchanges.forEach((exchange, i) => {
    const { path } = splitUrl(exchange.request.url);
    // Section titles keep the query string: the redacted one (`?password=***`).
    const { query } = splitUrl((shown[i] ?? exchange).request.url);
    const { template, used } = variables.templatePath(path);
    const [from, to] = ends(exchange);
    views.set(exchange, { exchange, from, to, path, pathTemplate: template, shown: shown[i] ?? exchange, query, used, background: background.has(exchange) });
  });
  return views;
}

/**
 * `201 CREATED` (the reason phrase as recorded), or just the code when there was none. A transport
 * failure shows its error code, `✕ ECONNREFUSED`: the service never answered, so the 502 the
 * recorder gave the client is not put in the service's mouth.
 */
function responseHead(e: ExchangeRecord): string {
  if (e.state === 'failed' || e.state === 'aborted') return `✕ ${e.error.code}`;
  const r = e.response;
  if (!r) return '✕ no response';
  return r.statusMessage ? `${r.statusCode} ${r.statusMessage}` : `${r.statusCode}`;
}

function makeArrow(event: ExchangeEvent, v: ExchangeView, n: number): Arrow {
  const e = v.shown;
  const mark = v.background ? `${BACKGROUND_MARK} ` : '';
  const background = v.background;
  if (event.kind === 'request') {
    const label = `${mark}${e.request.method} ${v.pathTemplate}`;
    return {
      n, kind: 'request', from: v.from, to: v.to, label, title: label + v.query, exchange: e, background,
      message: { httpTitle: `${e.request.method} ${e.request.url}`, headers: e.request.headers, body: e.request.body },
    };
  }
  const head = responseHead(e);
  const label = `${mark}${head} ${v.pathTemplate}`;
  return {
    n, kind: 'response', from: v.to, to: v.from, label, title: label + v.query, exchange: e, background,
    message: { httpTitle: `${head} ${e.request.url}`, headers: e.response?.headers ?? [], body: e.response?.body ?? EMPTY_BODY },
  };
}

function orderedParticipants(arrows: Arrow[], client: Participant | null): Participant[] {
  const seen = new Set<Participant>();
  if (client && arrows.some((a) => a.from === client || a.to === client)) seen.add(client);
  for (const a of arrows) {
    seen.add(a.from);
    seen.add(a.to);
  }
  return [...seen];
}

/** The view-independent work: participants, variables and redaction over the whole capture. */
interface PreparedCapture {
  events: ExchangeEvent[];
  views: Map<ExchangeRecord, ExchangeView>;
  client: Participant | null;
  backgroundCount: number;
  profile: Profile;
}

function prepare(capture: Capture, options: Omit<TimelineOptions, 'view'>): PreparedCapture {
  return sharingParsedBodies(() => prepareShared(capture, options));
}

function prepareShared(capture: Capture, options: Omit<TimelineOptions, 'view'>): PreparedCapture {
  const { config, secrets } = options;
  const profile = profileFor(capture, options.profile);
  const resolver = resolveParticipants(capture, config, profile);
  const events = orderEvents(capture.exchanges);
  // Resolve in arrow order first, so aliases are handed out in order of appearance.
  const ends = new Map<ExchangeRecord, [Participant, Participant]>();
  for (const { exchange } of events) {
    if (!ends.has(exchange)) ends.set(exchange, [resolver.source(exchange), resolver.destination(exchange)]);
  }
  const endsOf = (e: ExchangeRecord): [Participant, Participant] => ends.get(e) ?? [resolver.source(e), resolver.destination(e)];
  const variables = inferVariables(events, config, (e) => endsOf(e)[0] === resolver.client, profile);
  const background = backgroundExchanges(capture.exchanges, resolver.client, endsOf);
  return {
    events, views: exchangeViews(capture, { variables, secrets, profile, ends: endsOf, background }), client: resolver.client,
    backgroundCount: background.size, profile,
  };
}

/**
 * The summary's folding: background calls always; configured exclusions as given; the profile's
 * default (OpenStack: the unified-limits calls) folds only what services do on their own account,
 * never the command's own calls, so the summary of `openstack limit list` still shows its `GET /v3/limits`.
 */
function foldSummary(all: ExchangeView[], configured: Filter[] | null, prepared: PreparedCapture): ExchangeView[] {
  const items = all.filter((v) => !v.background);
  if (configured) return selectExchanges(items, [], configured);
  const { client } = prepared;
  const defaults = prepared.profile.summaryExclude;
  return items.filter((v) => (client !== null && v.from === client) || !defaults.some((f) => matchesFilter(f, v)));
}

/**
 * `made`: the arrows made so far, by the index of their event, shared by the views made together.
 * An arrow depends only on its event, its exchange's view and its number, which are the same in
 * both views, so the summary reuses the full view's arrows instead of holding a copy of each.
 */
function selectView(prepared: PreparedCapture, options: TimelineOptions, made: Array<Arrow | undefined> = []): Timeline {
  const selected = selectExchanges([...prepared.views.values()], options.include, options.exclude);
  const shown = options.view === 'summary' ? foldSummary(selected, options.config.summaryExclude, prepared) : selected;
  // null: every exchange (the full view without filters asks no set about each of its arrows).
  const numbered = selected.length === prepared.views.size ? null : new Set(selected.map((v) => v.exchange));
  const kept = shown === selected ? numbered : new Set(shown.map((v) => v.exchange));
  const arrows: Arrow[] = [];
  const used = new Set<Variable>();
  // Numbers count every selected arrow, folded or not, so a summary arrow carries its full-view
  // number: the one of its `### (n)` section.
  let n = 0;
  prepared.events.forEach((event, i) => {
    const v = prepared.views.get(event.exchange);
    if (!v || (numbered && !numbered.has(event.exchange))) return;
    n += 1;
    if (kept && !kept.has(event.exchange)) return;
    const arrow = made[i] ?? (made[i] = makeArrow(event, v, n));
    arrows.push(arrow);
    for (const variable of v.used) used.add(variable);
  });
  return {
    participants: orderedParticipants(arrows, prepared.client), arrows, variables: [...used],
    backgroundCount: prepared.backgroundCount,
  };
}

/** Turns a capture into the numbered arrows of one view. Pure: same input, same timeline. */
export function buildTimeline(capture: Capture, options: TimelineOptions): Timeline {
  return selectView(prepare(capture, options), options);
}

/** Both views at the cost of one: the full diagram and the summary, whose arrows keep their full-view numbers. */
export function buildTimelines(capture: Capture, options: Omit<TimelineOptions, 'view'>): Record<TimelineOptions['view'], Timeline> {
  const prepared = prepare(capture, options);
  const made: Array<Arrow | undefined> = [];
  return { full: selectView(prepared, { ...options, view: 'full' }, made), summary: selectView(prepared, { ...options, view: 'summary' }, made) };
}
