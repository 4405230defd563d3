/**
 * How a recorded body appears on the page: JSON pretty-printed with two spaces, other text as
 * recorded, binary as one line (media type, size, SHA-256), and a note when the stored copy was cut.
 * An empty response body shows as an empty line, an empty request body as the profile words it
 * (OpenStack: `None`, as the reference page printed Python's `request.body`).
 */
import type { Body, ExchangeRecord } from '../model/exchange.js';
import { indentJson } from './json-indent.js';

export interface BodyText {
  /** Fence language. */
  lang: 'json' | 'text';
  text: string;
}

/** One line describing a body that is not shown as text. */
export function describeBinary(body: Body): string {
  const type = body.mediaType ?? 'binary';
  return `<${type} body: ${body.sizeBytes} bytes, sha256 ${body.sha256}>`;
}

export function describeTruncation(body: Body): string {
  return `<${body.truncatedBytes} more bytes not recorded (${body.sizeBytes} bytes on the wire)>`;
}

/** Text as recorded, without the one line break that ends most bodies. */
function withoutFinalNewline(text: string): string {
  return text.endsWith('\n') ? text.slice(0, text.endsWith('\r\n') ? -2 : -1) : text;
}

/** `emptyRequest`: how an empty request body is shown (the profile's wording). */
export function presentBody(body: Body, side: 'request' | 'response', emptyRequest = ''): BodyText {
  if (body.encoding === 'base64') return { lang: 'text', text: describeBinary(body) };
  if (body.sizeBytes === 0 && body.data === '') return { lang: 'json', text: side === 'request' ? emptyRequest : '' };
  if (body.truncatedBytes > 0) {
    return { lang: 'text', text: `${withoutFinalNewline(body.data)}\n${describeTruncation(body)}` };
  }
  const json = indentJson(body.data);
  if (json !== null) return { lang: 'json', text: json };
  return { lang: 'text', text: withoutFinalNewline(body.data) };
}

/** Why an exchange has no response, in one line. */
export function missingResponse(exchange: ExchangeRecord): string {
  if (exchange.state === 'completed') return '<no response>';
  if (exchange.state === 'incomplete') return '<no response: still in flight when recording stopped>';
  return `<no response: ${exchange.state}, ${exchange.error.code} ${exchange.error.message}>`;
}

/** The body tab of an arrow: the recorded body, or why there is none. */
export function presentArrowBody(body: Body, side: 'request' | 'response', exchange: ExchangeRecord, emptyRequest: string): BodyText {
  if (side === 'response' && exchange.response === null) return { lang: 'text', text: missingResponse(exchange) };
  return presentBody(body, side, emptyRequest);
}
