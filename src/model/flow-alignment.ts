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
 * Where the keys of a[i] and b[j] differ, which one the walk drops: bit (i, j) is set when dropping
 * a[i] keeps the longest common subsequence of what is left as long as dropping b[j] does (with L the
 * LCS of the suffixes, L(i+1, j) ≥ L(i, j+1)). Made from two rows of L at a time and kept as one bit
 * a cell: the table of L itself, 4 bytes a cell, took 1.6 GB and 10 s for two flows of 10,000
 * exchanges (20,000 arrows each). Keys are compared as numbers, one per distinct key.
 */
class DropChoices {
  private readonly bits: Uint8Array;
  private readonly width: number;

  constructor(a: Int32Array, b: Int32Array) {
    const n = a.length;
    const m = b.length;
    this.width = m;
    this.bits = new Uint8Array(Math.ceil((n * m) / 8));
    let below = new Uint32Array(m + 1); // L(i + 1, ·)
    let row = new Uint32Array(m + 1); // L(i, ·)
    for (let i = n - 1; i >= 0; i -= 1) {
      row[m] = 0;
      const key = a[i];
      for (let j = m - 1; j >= 0; j -= 1) {
        const dropA = below[j]!;
        const dropB = row[j + 1]!;
        row[j] = key === b[j] ? below[j + 1]! + 1 : Math.max(dropA, dropB);
        if (dropA >= dropB) {
          const cell = i * m + j;
          this.bits[cell >> 3]! |= 1 << (cell & 7);
        }
      }
      [below, row] = [row, below];
    }
  }

  /** Whether the walk at (i, j), both in range and keys differing, drops a[i] (else b[j]). */
  dropsA(i: number, j: number): boolean {
    const cell = i * this.width + j;
    return (this.bits[cell >> 3]! & (1 << (cell & 7))) !== 0;
  }
}

/** Each key as a number, the same number for the same key on either side. */
function keyNumbers(a: string[], b: string[]): [Int32Array, Int32Array] {
  const numbers = new Map<string, number>();
  const number = (key: string): number => {
    let n = numbers.get(key);
    if (n === undefined) numbers.set(key, (n = numbers.size));
    return n;
  };
  return [Int32Array.from(a, number), Int32Array.from(b, number)];
}

function pairStep(a: Arrow, b: Arrow, options: AlignmentOptions): AlignedStep {
  const reasons = compareArrows(a, b, options);
  return reasons.length ? { kind: 'changed', a, b, reasons } : { kind: 'same', a, b };
}

/**
 * Aligns two flows arrow by arrow (see the module comment). Pure: same input, same alignment. The
 * walk pairs equal keys as it meets them, so a common beginning pairs whatever follows it: the
 * choices are made for the rest only (two runs that agree throughout cost no table at all).
 */
export function alignFlows(a: Arrow[], b: Arrow[], options: AlignmentOptions = DEFAULT_ALIGNMENT_OPTIONS): FlowAlignment {
  const [ka, kb] = keyNumbers(a.map(arrowKey), b.map(arrowKey));
  let start = 0;
  while (start < ka.length && start < kb.length && ka[start] === kb[start]) start += 1;
  const choices = new DropChoices(ka.subarray(start), kb.subarray(start));
  const steps: AlignedStep[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && ka[i] === kb[j]) {
      steps.push(pairStep(a[i]!, b[j]!, options));
      i += 1;
      j += 1;
    } else if (j >= b.length || (i < a.length && choices.dropsA(i - start, j - start))) {
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
