/**
 * The raw log the page includes (`??? quote` block, pymdownx.snippets): one wire-like block per
 * exchange in request order — request line, headers, blank line, body; then the status line,
 * headers, blank line, body. It is built from the timeline's messages, so secrets are masked or
 * labelled exactly as on the page.
 */
import type { Body, ExchangeRecord } from '../model/exchange.js';
import type { Arrow, ArrowMessage, Timeline } from '../model/timeline.js';
import { describeBinary, describeTruncation, missingResponse } from './body-view.js';
import { escapeSnippetMarkers } from './fence.js';
import { CHUNK, ChunkedText, type Sink } from './text-chunks.js';

interface ExchangeArrows {
  exchange: ExchangeRecord;
  request: Arrow | null;
  response: Arrow | null;
}

/**
 * The arrows by exchange, in `seq` order (sorted only when their first arrows are not already).
 * Found by `seq` in an array, a positive integer's own index: a Map of 10,000 numbers took ten
 * times longer to fill (sparse or huge seqs only make the array a dictionary).
 */
function byExchange(arrows: Arrow[]): ExchangeArrows[] {
  const groups: Array<ExchangeArrows | undefined> = [];
  const list: ExchangeArrows[] = [];
  let lastSeq = -Infinity;
  let sorted = true;
  for (const arrow of arrows) {
    const seq = arrow.exchange.seq;
    let group = groups[seq];
    if (group === undefined) {
      group = { exchange: arrow.exchange, request: null, response: null };
      groups[seq] = group;
      list.push(group);
      sorted &&= seq > lastSeq;
      lastSeq = seq;
    }
    if (arrow.kind === 'request') group.request = arrow;
    else group.response = arrow;
  }
  return sorted ? list : list.sort((a, b) => a.exchange.seq - b.exchange.seq);
}

/** `(1) (2)`: the numbers of an exchange's arrows. */
function arrowNumbers(request: Arrow | null, response: Arrow | null): string {
  if (request && response) return `(${request.n}) (${response.n})`;
  const one = request ?? response;
  return one ? `(${one.n})` : '';
}

/** The body as log text ending in a line break, or `''` for an empty body. */
function bodyText(body: Body): string {
  if (body.encoding === 'base64') return `${describeBinary(body)}\n`;
  if (body.data === '') return '';
  const text = body.data.endsWith('\n') ? body.data : `${body.data}\n`;
  return body.truncatedBytes > 0 ? `${text}${describeTruncation(body)}\n` : text;
}

/** Start line, headers, blank line, then the body and a blank line if there is one. */
function messageText(startLine: string, message: ArrowMessage): string {
  let text = `${startLine}\n`;
  for (const [name, value] of message.headers) text += `${name}: ${value}\n`;
  const body = bodyText(message.body);
  return body === '' ? `${text}\n` : `${text}\n${body}\n`;
}

function exchangeBlock(group: ExchangeArrows): string {
  const { exchange, request, response } = group;
  const ends = request ? `${request.from.name} -> ${request.to.name}` : response ? `${response.to.name} -> ${response.from.name}` : '';
  let text = `# exchange ${exchange.seq}: ${ends} ${arrowNumbers(request, response)}\n`;
  if (request) text += messageText(`${request.message.httpTitle} HTTP/${exchange.request.httpVersion}`, request.message);
  const r = exchange.response;
  if (response && r) text += messageText(`HTTP/${r.httpVersion} ${r.statusCode} ${r.statusMessage}`, response.message);
  else text += `${missingResponse(exchange)}\n\n`;
  return text;
}

/**
 * The log text, handed to `sink` in chunks (text-chunks.ts) as it is made: each block ends with a
 * blank line; LF line ends; nothing at all when there are no arrows.
 */
export function writeLog(timeline: Timeline, sink: Sink): void {
  const text = new ChunkedText(CHUNK, sink);
  // Escaped block by block (a line never spans two); the escape's search also joins the block's
  // pieces. Blocks end with a blank line; the file ends with exactly one line break, so the last
  // block is added without its final one.
  let last: string | null = null;
  for (const group of byExchange(timeline.arrows)) {
    if (last !== null) text.add(last);
    last = escapeSnippetMarkers(exchangeBlock(group));
  }
  if (last !== null) text.add(last.endsWith('\n\n') ? last.slice(0, -1) : last);
  text.end();
}
