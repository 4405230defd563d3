/**
 * Several recorders' captures as one: hosts of a real cloud each run their own `flowscribe proxy`,
 * and `flowscribe merge` lays their exchanges on one timeline. Each capture's monotonic clock is
 * pinned to wall time at its first exchange (corrected by a known skew, `--offset FILE=±SECONDS`),
 * so order within one recorder stays exactly as recorded and recorders interleave by wall time.
 * `seq` is renumbered in start order; each exchange keeps which recorder (file, host) it came from.
 */
import type { Capture, ExchangeRecord, HeaderRecord, Instant, Timings, TrailerRecord } from './exchange.js';

export interface MergeInput {
  /** The file as named on the command line (kept in each exchange's `recorder.file`). */
  file: string;
  capture: Capture;
  /** Seconds added to this recorder's clock (its known skew, negated). */
  offsetSeconds: number;
}

/** Wall-clock nanoseconds of `ns` on one recorder's clock (BigInt: epoch nanoseconds exceed 2^53). */
function recorderClock(input: MergeInput): (ns: number) => bigint {
  const c = input.capture;
  const anchor: Instant = c.exchanges[0]?.timings.requestStart ?? { at: c.header.startedAt, ns: 0 };
  const offsetNs = BigInt(Math.round(input.offsetSeconds * 1e9));
  const base = BigInt(Date.parse(anchor.at)) * 1_000_000n + offsetNs - BigInt(anchor.ns);
  return (ns) => base + BigInt(ns);
}

interface Placed {
  exchange: ExchangeRecord;
  startNs: bigint;
  order: number;
}

function shiftAt(at: string, offsetSeconds: number): string {
  return offsetSeconds === 0 ? at : new Date(Date.parse(at) + Math.round(offsetSeconds * 1000)).toISOString();
}

function placeAll(inputs: MergeInput[]): { placed: Placed[]; originNs: bigint; clocks: Array<(ns: number) => bigint> } {
  const clocks = inputs.map(recorderClock);
  const placed: Placed[] = [];
  inputs.forEach((input, i) => {
    const clock = clocks[i] ?? recorderClock(input);
    for (const exchange of input.capture.exchanges) {
      const recorder = exchange.recorder ?? { file: input.file, host: input.capture.header.hostname ?? null };
      placed.push({ exchange: { ...exchange, recorder }, startNs: clock(exchange.timings.requestStart.ns), order: i });
    }
  });
  const starts = placed.map((p) => p.startNs);
  const originNs = starts.reduce((a, b) => (b < a ? b : a), starts[0] ?? 0n);
  return { placed, originNs, clocks };
}

function retime(timings: Timings, toMerged: (i: Instant) => Instant): Timings {
  const opt = (i: Instant | null): Instant | null => (i ? toMerged(i) : null);
  return { requestStart: toMerged(timings.requestStart), requestEnd: opt(timings.requestEnd), responseStart: opt(timings.responseStart), responseEnd: opt(timings.responseEnd) };
}

/** The header of the merged capture: the command's recording's (the first with a command), all listeners. */
function mergedHeader(inputs: MergeInput[], endedAt: string): { header: HeaderRecord; trailer: TrailerRecord | null } {
  const main = inputs.find((i) => i.capture.header.argv !== null) ?? inputs[0];
  if (!main) throw new Error('merge: no captures');
  const startedAt = inputs.map((i) => shiftAt(i.capture.header.startedAt, i.offsetSeconds)).sort()[0] ?? main.capture.header.startedAt;
  const header: HeaderRecord = { ...main.capture.header, startedAt, listeners: inputs.flatMap((i) => i.capture.header.listeners) };
  const trailer = main.capture.trailer ? { ...main.capture.trailer, endedAt } : null;
  return { header, trailer };
}

/** The captures as one, on one clock, `seq` renumbered by start time (ties: file order, then seq). */
export function mergeCaptures(inputs: MergeInput[]): Capture {
  const { placed, originNs, clocks } = placeAll(inputs);
  placed.sort((a, b) => (a.startNs !== b.startNs ? (a.startNs < b.startNs ? -1 : 1) : a.order - b.order || a.exchange.seq - b.exchange.seq));
  const exchanges = placed.map((p, i): ExchangeRecord => {
    const input = inputs[p.order] as MergeInput;
    const clock = clocks[p.order] ?? recorderClock(input);
    const toMerged = (instant: Instant): Instant => ({ at: shiftAt(instant.at, input.offsetSeconds), ns: Number(clock(instant.ns) - originNs) });
    return { ...p.exchange, seq: i + 1, timings: retime(p.exchange.timings, toMerged) };
  });
  const endedAt = inputs.map((i) => shiftAt(i.capture.trailer?.endedAt ?? i.capture.header.startedAt, i.offsetSeconds)).sort().at(-1) ?? '';
  const { header, trailer } = mergedHeader(inputs, endedAt);
  return {
    header,
    exchanges,
    trailer: trailer ? { ...trailer, exchangeCount: exchanges.length } : null,
    warnings: inputs.flatMap((i) => i.capture.warnings),
  };
}

/** A capture as its JSON-lines file: header, exchanges in `seq` order, trailer (when there is one). */
export function captureLines(capture: Capture): string {
  const records: unknown[] = [capture.header, ...capture.exchanges, ...(capture.trailer ? [capture.trailer] : [])];
  return records.map((r) => `${JSON.stringify(r)}\n`).join('');
}
