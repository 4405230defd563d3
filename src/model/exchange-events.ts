/**
 * The order of arrows: a request arrow when its request started, a response arrow when its
 * response ended. Service-to-service calls made while serving a request therefore fall between
 * that request and its response. Times are the monotonic `ns` clock; ties go by `seq`, and an
 * exchange's request always precedes its own response.
 */
import type { ExchangeRecord } from './exchange.js';
import { lastInstant } from './exchange-timing.js';

/** One arrow-to-be: one side of one exchange. */
export interface ExchangeEvent {
  kind: 'request' | 'response';
  exchange: ExchangeRecord;
  /** Monotonic nanoseconds at which the arrow happens. */
  ns: number;
}

/** Whether an exchange gets a response arrow: everything but an exchange still in flight. */
export function hasResponseArrow(e: ExchangeRecord): boolean {
  return e.state !== 'incomplete';
}

/** All events of the exchanges in arrow order. */
export function orderEvents(exchanges: readonly ExchangeRecord[]): ExchangeEvent[] {
  const events: ExchangeEvent[] = [];
  for (const exchange of exchanges) {
    events.push({ kind: 'request', exchange, ns: exchange.timings.requestStart.ns });
    if (hasResponseArrow(exchange)) events.push({ kind: 'response', exchange, ns: lastInstant(exchange).ns });
  }
  return events.sort(compareEvents);
}

/**
 * Simultaneous events: an exchange's request before its response; responses before requests (what
 * ended at t did not contain what began at t); later-started exchanges end first (nesting);
 * requests in start order.
 */
function compareEvents(a: ExchangeEvent, b: ExchangeEvent): number {
  if (a.ns !== b.ns) return a.ns - b.ns;
  if (a.exchange === b.exchange) return a.kind === 'request' ? -1 : 1;
  if (a.kind !== b.kind) return a.kind === 'response' ? -1 : 1;
  return a.kind === 'response' ? b.exchange.seq - a.exchange.seq : a.exchange.seq - b.exchange.seq;
}
