/**
 * OpenTelemetry ids for a capture, derived from it (not random), so the same capture always gives
 * the same trace: the trace id from the header and exchange count, each span id from the trace id
 * and the exchange's `seq`. Hex, as OTLP/JSON writes them.
 */
import { createHash } from 'node:crypto';
import type { Capture } from './exchange.js';

function hexDigest(text: string, hexChars: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, hexChars);
}

/** 16 bytes: the capture's trace id. */
export function traceIdOf(capture: Capture): string {
  const h = capture.header;
  return hexDigest(`flowscribe:${h.startedAt}:${h.hostname ?? ''}:${JSON.stringify(h.argv)}:${capture.exchanges.length}`, 32);
}

/** 8 bytes: the span id of exchange `seq` in trace `traceId`. */
export function spanIdOf(traceId: string, seq: number): string {
  return hexDigest(`${traceId}:${seq}`, 16);
}
