/**
 * When each exchange happened, relative to the first request of the capture: start offset,
 * duration (request start → last response byte) and time to first byte (request start → response
 * head). All from the monotonic `ns` instants the recorder writes, never the wall clock.
 */
import type { Capture, ExchangeRecord, Instant } from './exchange.js';

/** When an exchange ended: its last recorded instant (a failure has no response end). */
export function lastInstant(e: ExchangeRecord): Instant {
  const t = e.timings;
  return t.responseEnd ?? t.responseStart ?? t.requestEnd ?? t.requestStart;
}

/** Monotonic ns of the request start. */
export const startNs = (e: ExchangeRecord): number => e.timings.requestStart.ns;

/** Monotonic ns of the last recorded instant. */
export const lastNs = (e: ExchangeRecord): number => lastInstant(e).ns;

export interface ExchangeTiming {
  /** Milliseconds from the capture's first request start to this exchange's request start. */
  startOffsetMs: number;
  /** Request start → response end in ms; null when the response never ended. */
  durationMs: number | null;
  /** Request start → response head in ms; null when no response head arrived. */
  ttfbMs: number | null;
}

const NS_PER_MS = 1e6;

/** The monotonic instant (ns) of the capture's first request start; 0 for an empty capture. */
export function captureOriginNs(capture: Pick<Capture, 'exchanges'>): number {
  let origin = Number.POSITIVE_INFINITY;
  for (const e of capture.exchanges) origin = Math.min(origin, e.timings.requestStart.ns);
  return Number.isFinite(origin) ? origin : 0;
}

/** Milliseconds rounded to 0.1 ms (what a page can honestly show of a proxy's measurement). */
function roundMs(ns: number): number {
  return Math.round(ns / (NS_PER_MS / 10)) / 10;
}

export function exchangeTiming(e: ExchangeRecord, originNs: number): ExchangeTiming {
  const t = e.timings;
  const start = t.requestStart.ns;
  return {
    startOffsetMs: roundMs(start - originNs),
    durationMs: t.responseEnd ? roundMs(t.responseEnd.ns - start) : null,
    ttfbMs: t.responseStart ? roundMs(t.responseStart.ns - start) : null,
  };
}

/** `12.3 ms`, `1.24 s`: short and readable on an arrow. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}
