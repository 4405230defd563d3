/**
 * Flow alignment: which arrows of two timelines are "the same step". Two runs of a command rarely
 * line up by position (a warm cache skips a token request, a retry adds one), so the arrows are
 * aligned as sequences (longest common subsequence, like diff(1)) on a key that survives a rerun:
 * sender, receiver, direction, method and the templated path (`/v2/images/{image_id}`, after
 * variable naming, so fresh ids do not count as changes). Statuses are not part of the key: the same
 * request answered 401 instead of 201 is one *changed* step, not a removal plus an addition.
 *
 * Pure and generic over the model's `Arrow`s (any view, any filters), so the `diff` command and the
 * playbook change report share it. The result lists every arrow of both sides exactly once, in a
 * merged order: A's order and B's order are both preserved; removals come before additions at the
 * same place.
 */
import type { RawHeaders } from './exchange.js';
import type { Arrow } from './timeline.js';

/** Why two aligned arrows are not the same. */
export type ChangeReason =
  | {
      kind: 'status';
      /** Status of A's response arrow: `201`, or `✕ ECONNREFUSED` for a transport failure. */
      a: string;
      /** Status of B's response arrow, same form. */
      b: string;
    }
  | {
      kind: 'headers';
      /** Header names (lower-case) present only in B's message. */
      added: string[];
      /** Header names (lower-case) present only in A's message. */
      removed: string[];
    }
  | {
      kind: 'duration';
      /** A's exchange duration (request start → response end) in ms. */
      aMs: number;
      /** B's, in ms. */
      bMs: number;
    };

/** One step of the merged flow: exactly one of these per arrow pair or unpaired arrow. */
export type AlignedStep =
  | { kind: 'same'; a: Arrow; b: Arrow }
  | { kind: 'changed'; a: Arrow; b: Arrow; reasons: ChangeReason[] }
  | { kind: 'removed'; a: Arrow }
  | { kind: 'added'; b: Arrow };

export type AlignedKind = AlignedStep['kind'];

export interface FlowAlignment {
  /** The merged flow, in order. */
  steps: AlignedStep[];
  /** How many steps of each kind (`+added −removed ~changed`). */
  counts: Record<AlignedKind, number>;
}

export interface AlignmentOptions {
  /** Header names (any case) left out of the header comparison (`Date`). */
  ignoreHeaders: string[];
  /** A duration change counts only when the two durations differ by more than this (ms); null: never. */
  timeThresholdMs: number | null;
}

export const DEFAULT_ALIGNMENT_OPTIONS: AlignmentOptions = { ignoreHeaders: [], timeThresholdMs: null };

/** The templated path of an arrow: the last word of its label (paths carry no raw spaces). */
export function arrowPath(arrow: Arrow): string {
  const space = arrow.label.lastIndexOf(' ');
  return space < 0 ? arrow.label : arrow.label.slice(space + 1);
}

/** The status a response arrow shows (`201`, `✕ ECONNREFUSED`, `✕ no response`); null for requests. */
export function arrowStatus(arrow: Arrow): string | null {
  if (arrow.kind === 'request') return null;
  const e = arrow.exchange;
  if (e.state === 'failed' || e.state === 'aborted') return `✕ ${e.error.code}`;
  return e.response ? String(e.response.statusCode) : '✕ no response';
}

/** What makes two arrows the same step: ends, direction, method and templated path. */
export function arrowKey(arrow: Arrow): string {
  return [arrow.kind, arrow.from.name, arrow.to.name, arrow.exchange.request.method, arrowPath(arrow)].join(' ');
}

/** Exchange duration in ms from request start to response end (null while it never ended). */
export function exchangeDurationMs(arrow: Arrow): number | null {
  const t = arrow.exchange.timings;
  return t.responseEnd ? (t.responseEnd.ns - t.requestStart.ns) / 1e6 : null;
}

function headerNames(headers: RawHeaders, ignored: Set<string>): Set<string> {
  return new Set(headers.map(([name]) => name.toLowerCase()).filter((n) => !ignored.has(n)));
}

function headerChange(a: Arrow, b: Arrow, ignored: Set<string>): ChangeReason | null {
  const left = headerNames(a.message.headers, ignored);
  const right = headerNames(b.message.headers, ignored);
  const added = [...right].filter((n) => !left.has(n));
  const removed = [...left].filter((n) => !right.has(n));
  return added.length || removed.length ? { kind: 'headers', added, removed } : null;
}

function durationChange(a: Arrow, b: Arrow, thresholdMs: number | null): ChangeReason | null {
  // Durations belong to the exchange: compare them once, on the response arrow.
  if (thresholdMs === null || a.kind !== 'response') return null;
  const aMs = exchangeDurationMs(a);
  const bMs = exchangeDurationMs(b);
  if (aMs === null || bMs === null || Math.abs(aMs - bMs) <= thresholdMs) return null;
  return { kind: 'duration', aMs, bMs };
}

/** The reasons two same-key arrows differ (empty: the same step). */
export function compareArrows(a: Arrow, b: Arrow, options: AlignmentOptions = DEFAULT_ALIGNMENT_OPTIONS): ChangeReason[] {
  const reasons: ChangeReason[] = [];
  const sa = arrowStatus(a);
  const sb = arrowStatus(b);
  if (sa !== sb) reasons.push({ kind: 'status', a: sa ?? '', b: sb ?? '' });
  const headers = headerChange(a, b, new Set(options.ignoreHeaders.map((h) => h.toLowerCase())));
  if (headers) reasons.push(headers);
  const duration = durationChange(a, b, options.timeThresholdMs);
  if (duration) reasons.push(duration);
  return reasons;
}

/**
 * Suffix LCS lengths: `table[i * (m + 1) + j]` is the LCS of `a[i..]` and `b[j..]`. Quadratic in
 * memory, which is fine for flows of a few thousand arrows (a page is unreadable long before).
 */
function lcsTable(a: string[], b: string[]): Uint32Array {
  const m = b.length;
  const table = new Uint32Array((a.length + 1) * (m + 1));
  for (let i = a.length - 1; i >= 0; i -= 1) {
    for (let j = m - 1; j >= 0; j -= 1) {
      table[i * (m + 1) + j] =
        a[i] === b[j] ? table[(i + 1) * (m + 1) + j + 1]! + 1 : Math.max(table[(i + 1) * (m + 1) + j]!, table[i * (m + 1) + j + 1]!);
    }
  }
  return table;
}

function pairStep(a: Arrow, b: Arrow, options: AlignmentOptions): AlignedStep {
  const reasons = compareArrows(a, b, options);
  return reasons.length ? { kind: 'changed', a, b, reasons } : { kind: 'same', a, b };
}

/** Aligns two flows arrow by arrow (see the module comment). Pure: same input, same alignment. */
export function alignFlows(a: Arrow[], b: Arrow[], options: AlignmentOptions = DEFAULT_ALIGNMENT_OPTIONS): FlowAlignment {
  const ka = a.map(arrowKey);
  const kb = b.map(arrowKey);
  const table = lcsTable(ka, kb);
  const width = b.length + 1;
  const steps: AlignedStep[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && ka[i] === kb[j]) {
      steps.push(pairStep(a[i]!, b[j]!, options));
      i += 1;
      j += 1;
    } else if (j >= b.length || (i < a.length && table[(i + 1) * width + j]! >= table[i * width + j + 1]!)) {
      steps.push({ kind: 'removed', a: a[i]! });
      i += 1;
    } else {
      steps.push({ kind: 'added', b: b[j]! });
      j += 1;
    }
  }
  return { steps, counts: countSteps(steps) };
}

function countSteps(steps: AlignedStep[]): Record<AlignedKind, number> {
  const counts: Record<AlignedKind, number> = { same: 0, changed: 0, removed: 0, added: 0 };
  for (const s of steps) counts[s.kind] += 1;
  return counts;
}

/** True when the two flows align with no added, removed or changed step. */
export function flowsAreSame(alignment: FlowAlignment): boolean {
  return alignment.counts.added === 0 && alignment.counts.removed === 0 && alignment.counts.changed === 0;
}
