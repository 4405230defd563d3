/**
 * Which calls the command caused and which were background (a service's periodic tasks that
 * happened to fall inside the recording: nova-compute's resource tracker and info-cache healing,
 * about 11 calls a minute). A rule of time and attribution, applied to services' calls only — the
 * command's own calls are always its own:
 *
 * 1. nested: a call that starts while a caused call *to its sender* is in flight was made to
 *    serve it (nova-api's calls during the client's `POST /servers`; keystone validations); when no
 *    call goes to the sender by its name (no catalog named that host), any caused call in flight;
 * 2. tainted: a call whose URL or request body holds an id the command itself used (in its URLs or
 *    request bodies) or created (in a response to its POST) concerns the command's resources
 *    (nova-compute's `POST /v2.0/ports` with `device_id` = the new server);
 * 3. burst: calls of one sender that follow each other within `BURST_GAP_NS` form one burst, and a
 *    burst with one caused call is caused as a whole (the token request before a tainted call;
 *    the scheduler's `GET /allocation_candidates` before its `PUT /allocations/{server_id}`).
 *
 * Everything else a service did is background. Without a wrapped command (proxy mode) nothing is.
 * Known limit: a periodic task that itself touches the new resource (healing the new server's
 * info cache) counts as caused.
 */
import type { ExchangeRecord } from './exchange.js';
import { lastNs as endNs, startNs } from './exchange-timing.js';
import { idsIn } from './id-hints.js';
import { splitUrl } from './request-url.js';

/** Calls of one sender closer than this (end of one to start of the next) form one burst. */
export const BURST_GAP_NS = 1_000_000_000;

/** The ends of an exchange, compared by identity (the resolver hands out one object per name). */
export type EndsOf<P> = (e: ExchangeRecord) => [from: P, to: P];

function textIds(text: string | undefined): string[] {
  return text ? idsIn(text).map((id) => id.toLowerCase()) : [];
}

function requestIds(e: ExchangeRecord): string[] {
  const body = e.request.body.encoding === 'utf8' ? e.request.body.data : '';
  return [...textIds(e.request.url), ...textIds(body)];
}

/** Ids the command used or created: its URLs, request bodies and created resources (not tokens). */
function commandIds(own: ExchangeRecord[]): Set<string> {
  const ids = new Set<string>();
  for (const e of own) {
    if (/\/auth\/tokens\/?$|\/tokens\/?$/.test(splitUrl(e.request.url).path)) continue;
    requestIds(e).forEach((id) => ids.add(id));
    const res = e.response;
    if (e.request.method === 'POST' && res && res.statusCode < 300 && res.body.encoding === 'utf8') {
      textIds(res.body.data).forEach((id) => ids.add(id));
    }
  }
  return ids;
}

/** Consecutive calls of each sender, split where the gap exceeds BURST_GAP_NS. */
function bursts<P>(calls: ExchangeRecord[], ends: EndsOf<P>): ExchangeRecord[][] {
  const bySender = new Map<P, ExchangeRecord[][]>();
  for (const e of calls) {
    const groups = bySender.get(ends(e)[0]) ?? [];
    const last = groups[groups.length - 1];
    const prev = last?.[last.length - 1];
    if (last && prev && startNs(e) - Math.max(endNs(prev), startNs(prev)) <= BURST_GAP_NS) last.push(e);
    else groups.push([e]);
    bySender.set(ends(e)[0], groups);
  }
  return [...bySender.values()].flat();
}

/**
 * "Is this instant inside one of these calls?" for a set of calls: sorted by start, with the latest
 * end so far, one binary search per question (a scan of every caused call per call was quadratic:
 * half a second at 10,000 exchanges).
 */
class Coverage {
  private readonly starts: number[] = [];
  private readonly reach: number[] = [];

  constructor(calls: ExchangeRecord[]) {
    const sorted = [...calls].sort((a, b) => startNs(a) - startNs(b));
    let reach = -Infinity;
    for (const c of sorted) {
      reach = Math.max(reach, endNs(c));
      this.starts.push(startNs(c));
      this.reach.push(reach);
    }
  }

  /** Whether some call started at or before `t` and ended at or after it. */
  covers(t: number): boolean {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.starts[mid] as number) <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && (this.reach[lo - 1] as number) >= t;
  }
}

/**
 * Rule 1 over the caused calls as they stand: which caused calls may serve a call of `from` (those
 * to `from`, or any when no call goes to `from` by its name), as a coverage of their spans.
 */
function nestingTest<P>(caused: Set<ExchangeRecord>, ends: EndsOf<P>, targets: Set<P>): (e: ExchangeRecord) => boolean {
  const byReceiver = new Map<P, ExchangeRecord[]>();
  for (const c of caused) {
    const to = ends(c)[1];
    const calls = byReceiver.get(to) ?? [];
    if (!calls.length) byReceiver.set(to, calls);
    calls.push(c);
  }
  const coverages = new Map([...byReceiver].map(([to, calls]) => [to, new Coverage(calls)] as const));
  const allCaused = new Coverage([...caused]);
  return (e) => {
    const from = ends(e)[0];
    const coverage = targets.has(from) ? coverages.get(from) : allCaused;
    return coverage?.covers(startNs(e)) ?? false;
  };
}

/** The services' calls the command did not cause (see the module comment for the rule). */
export function backgroundExchanges<P>(exchanges: readonly ExchangeRecord[], client: P | null, ends: EndsOf<P>): Set<ExchangeRecord> {
  if (client === null) return new Set();
  const own = exchanges.filter((e) => ends(e)[0] === client);
  const ids = commandIds(own);
  const calls = exchanges.filter((e) => ends(e)[0] !== client).sort((a, b) => startNs(a) - startNs(b));
  const caused = new Set<ExchangeRecord>(own);
  for (const e of calls) if (requestIds(e).some((id) => ids.has(id))) caused.add(e);
  const groups = bursts(calls, ends);
  const targets = new Set(exchanges.map((e) => ends(e)[1]));
  // Nesting and bursts feed each other and only ever add: repeated until nothing changes, they
  // reach the one smallest set closed under both rules, whatever order they are applied in.
  for (let changed = true; changed; ) {
    changed = false;
    const nested = nestingTest(caused, ends, targets);
    for (const e of calls.filter((c) => !caused.has(c) && nested(c))) {
      caused.add(e);
      changed = true;
    }
    for (const g of groups) {
      if (g.some((e) => caused.has(e)) && g.some((e) => !caused.has(e))) {
        g.forEach((e) => caused.add(e));
        changed = true;
      }
    }
  }
  return new Set(calls.filter((e) => !caused.has(e)));
}
