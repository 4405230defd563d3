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

interface ExchangeArrows {
  exchange: ExchangeRecord;
  request: Arrow | null;
  response: Arrow | null;
}

function byExchange(arrows: Arrow[]): ExchangeArrows[] {
  const groups = new Map<number, ExchangeArrows>();
  for (const arrow of arrows) {
    const seq = arrow.exchange.seq;
    const group = groups.get(seq) ?? { exchange: arrow.exchange, request: null, response: null };
    group[arrow.kind] = arrow;
    groups.set(seq, group);
  }
  return [...groups.values()].sort((a, b) => a.exchange.seq - b.exchange.seq);
}

function bodyLines(body: Body): string[] {
  if (body.encoding === 'base64') return [describeBinary(body)];
  if (body.data === '') return [];
  const text = body.data.endsWith('\n') ? body.data.slice(0, -1) : body.data;
  return body.truncatedBytes > 0 ? [text, describeTruncation(body)] : [text];
}

/** Start line, headers, blank line, then the body and a blank line if there is one. */
function messageLines(startLine: string, message: ArrowMessage): string[] {
  const body = bodyLines(message.body);
  const head = [startLine, ...message.headers.map(([name, value]) => `${name}: ${value}`), ''];
  return body.length === 0 ? head : [...head, ...body, ''];
}

function exchangeBlock(group: ExchangeArrows): string[] {
  const { exchange, request, response } = group;
  const first = request ?? response;
  const numbers = [request, response].flatMap((a) => (a ? [`(${a.n})`] : [])).join(' ');
  const parties = first ? `${first.kind === 'request' ? first.from.name : first.to.name} -> ${first.kind === 'request' ? first.to.name : first.from.name}` : '';
  const lines = [`# exchange ${exchange.seq}: ${parties} ${numbers}`];
  if (request) lines.push(...messageLines(`${request.message.httpTitle} HTTP/${exchange.request.httpVersion}`, request.message));
  if (response && exchange.response) {
    const r = exchange.response;
    lines.push(...messageLines(`HTTP/${r.httpVersion} ${r.statusCode} ${r.statusMessage}`, response.message));
  } else lines.push(missingResponse(exchange), '');
  return lines;
}

/** The log text: each block ends with a blank line; LF line ends; empty when there are no arrows. */
export function renderLog(timeline: Timeline): string {
  const text = byExchange(timeline.arrows).map((g) => exchangeBlock(g).join('\n')).join('\n');
  return escapeSnippetMarkers(text);
}
