/**
 * How a recorded body appears on the page: JSON pretty-printed with two spaces, other text as
 * recorded, binary as one line (media type, size, SHA-256), and a note when the stored copy was cut.
 * An empty response body shows as an empty line, an empty request body as the profile words it
 * (OpenStack: `None`, as the reference page printed Python's `request.body`).
 */
import type { Body, ExchangeRecord } from '../model/exchange.js';
import { indentLater } from './fence.js';
import { indentJson } from './json-indent.js';

export interface BodyText {
  /** Fence language. */
  lang: 'json' | 'text';
  /** Every line but the first carries the indent asked for (`indentLater`). */
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

/**
 * `emptyRequest`: how an empty request body is shown (the profile's wording); `indent`: what every
 * line but the first starts with (the block's indent: JSON is indented in the same pass).
 */
export function presentBody(body: Body, side: 'request' | 'response', emptyRequest = '', indent = ''): BodyText {
  if (body.encoding === 'base64') return { lang: 'text', text: indentLater(describeBinary(body), indent) };
  if (body.sizeBytes === 0 && body.data === '') return { lang: 'json', text: indentLater(side === 'request' ? emptyRequest : '', indent) };
  if (body.truncatedBytes > 0) {
    return { lang: 'text', text: indentLater(`${withoutFinalNewline(body.data)}\n${describeTruncation(body)}`, indent) };
  }
  const json = indentJson(body.data, indent);
  if (json !== null) return { lang: 'json', text: json };
  return { lang: 'text', text: indentLater(withoutFinalNewline(body.data), indent) };
}

/** Why an exchange has no response, in one line. */
export function missingResponse(exchange: ExchangeRecord): string {
  if (exchange.state === 'completed') return '<no response>';
  if (exchange.state === 'incomplete') return '<no response: still in flight when recording stopped>';
  return `<no response: ${exchange.state}, ${exchange.error.code} ${exchange.error.message}>`;
}

/** The body tab of an arrow: the recorded body, or why there is none. */
export function presentArrowBody(body: Body, side: 'request' | 'response', exchange: ExchangeRecord, emptyRequest: string, indent = ''): BodyText {
  if (side === 'response' && exchange.response === null) return { lang: 'text', text: indentLater(missingResponse(exchange), indent) };
  return presentBody(body, side, emptyRequest, indent);
}
