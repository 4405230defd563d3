/**
 * Which exchange caused which. A service that sends a request while it is serving one it received
 * does so for that request: an exchange sent by participant S is the child of the innermost
 * exchange *to* S whose span (request start → response end) contains it. Where request-id headers
 * (the profile's: `X-Request-ID`; OpenStack's services also pass on `X-OpenStack-Request-ID` with
 * the global request id) link them, only the exchanges carrying the same id are candidates, which
 * settles concurrent requests to one service. Exchanges from different recorders compare on the
 * merged clock (`merge.ts`).
 */
import type { FlowscribeConfig } from './config.js';
import type { Capture, ExchangeRecord, RawHeaders } from './exchange.js';
import { lastNs, startNs } from './exchange-timing.js';
import { resolveParticipants } from './participants.js';
import { profileFor } from './profiles/choose.js';
import type { Profile } from './profiles/profile.js';

/** Participant names of both ends of an exchange, as the page names them. */
export type EndNames = (e: ExchangeRecord) => { from: string; to: string };

/** Request-id header names, lower case. */
type IdHeaders = ReadonlySet<string>;

function requestIds(headers: RawHeaders | undefined, idHeaders: IdHeaders): string[] {
  return (headers ?? []).filter(([name]) => idHeaders.has(name.toLowerCase())).map(([, value]) => value.trim());
}

/** Every request id an exchange carries, in its request or its response. */
function idsOf(e: ExchangeRecord, idHeaders: IdHeaders): Set<string> {
  return new Set([...requestIds(e.request.headers, idHeaders), ...requestIds(e.response?.headers, idHeaders)]);
}

/** When the exchange ended; an exchange still in flight when recording stopped never did. */
function endNs(e: ExchangeRecord): number {
  if (e.state === 'incomplete' && !e.timings.responseEnd) return Number.POSITIVE_INFINITY;
  return lastNs(e);
}

function contains(parent: ExchangeRecord, child: ExchangeRecord): boolean {
  return parent !== child && startNs(parent) <= startNs(child) && endNs(child) <= endNs(parent);
}

/** The innermost containing exchange among `candidates` (sorted by start), preferring a shared request id. */
function innermost(child: ExchangeRecord, candidates: ExchangeRecord[], idHeaders: IdHeaders): ExchangeRecord | null {
  const containing = candidates.filter((p) => contains(p, child));
  if (containing.length === 0) return null;
  const ids = requestIds(child.request.headers, idHeaders);
  const linked = ids.length > 0 ? containing.filter((p) => ids.some((id) => idsOf(p, idHeaders).has(id))) : [];
  const pool = linked.length > 0 ? linked : containing;
  return pool.reduce((best, p) => (startNs(p) > startNs(best) || (startNs(p) === startNs(best) && p.seq > best.seq) ? p : best));
}

/**
 * Each child exchange's `seq` → its parent's `seq`; exchanges without a cause are absent.
 * `requestIdHeaders`: the headers that link a call to the request it serves (the profile's).
 */
export function findParents(exchanges: readonly ExchangeRecord[], names: EndNames, requestIdHeaders: readonly string[]): Map<number, number> {
  const idHeaders: IdHeaders = new Set(requestIdHeaders.map((h) => h.toLowerCase()));
  const byDestination = new Map<string, ExchangeRecord[]>();
  for (const e of exchanges) {
    const to = names(e).to;
    const list = byDestination.get(to);
    if (list) list.push(e);
    else byDestination.set(to, [e]);
  }
  const parents = new Map<number, number>();
  for (const child of exchanges) {
    const parent = innermost(child, byDestination.get(names(child).from) ?? [], idHeaders);
    if (parent) parents.set(child.seq, parent.seq);
  }
  return parents;
}

/** The parents of a capture's exchanges, with participants named as on the page (profile chosen from the capture when absent). */
export function captureParents(capture: Capture, config: FlowscribeConfig, chosen?: Profile | null): Map<number, number> {
  const profile = profileFor(capture, chosen);
  const resolver = resolveParticipants(capture, config, profile);
  const names: EndNames = (e) => ({ from: resolver.source(e).name, to: resolver.destination(e).name });
  return findParents(capture.exchanges, names, profile.requestIdHeaders);
}
