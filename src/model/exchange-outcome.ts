/**
 * What the client saw of an exchange, in one sentence, and whether it is a failure. The recorder
 * answers a transport failure with its own 502 (504 after an idle timeout) when no response head
 * had reached the client yet, and cuts the client's connection when one had (see capture/forwarder).
 */
import type { ExchangeRecord } from './exchange.js';
import { splitUrl } from './request-url.js';

/** How an exchange ended, for drawing: `ok` (2xx/3xx), `http-error` (4xx/5xx), or a non-HTTP end. */
export type Outcome = 'ok' | 'http-error' | 'transport-failure' | 'aborted' | 'incomplete';

export function exchangeOutcome(e: ExchangeRecord): Outcome {
  if (e.state === 'failed') return 'transport-failure';
  if (e.state === 'aborted') return 'aborted';
  if (e.state === 'incomplete') return 'incomplete';
  return e.response.statusCode >= 400 ? 'http-error' : 'ok';
}

/** The intended target as `host:port` (`127.0.0.1:5000`). */
export function targetHostPort(e: ExchangeRecord): string {
  return splitUrl(e.request.url).hostPort;
}

/** One sentence: what reached the client (`the client got 502 Bad Gateway from the recorder`). */
export function clientSaw(e: ExchangeRecord): string {
  switch (e.state) {
    case 'completed':
      return `the client got ${e.response.statusCode}${e.response.statusMessage ? ` ${e.response.statusMessage}` : ''} from ${targetHostPort(e)}`;
    case 'failed':
      if (e.response) return `the client got the head of ${e.response.statusCode} from ${targetHostPort(e)}, then its connection was cut (${e.error.code})`;
      return e.error.code === 'ETIMEDOUT'
        ? `the client got 504 Gateway Timeout from the recorder (${targetHostPort(e)} went silent)`
        : `the client got 502 Bad Gateway from the recorder (${e.error.code} ${targetHostPort(e)})`;
    case 'aborted':
      return `the client went away before the exchange finished (${e.error.code})`;
    case 'incomplete':
      return e.response ? 'the response was still arriving when recording stopped' : 'no response had arrived when recording stopped';
  }
}
