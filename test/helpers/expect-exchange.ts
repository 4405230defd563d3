/** Assertions comparing a recorded exchange with what the upstream actually saw and sent. */
import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import type { Body, ExchangeRecord, RawHeaders } from '../../src/model/exchange.js';
import type { SeenRequest } from './upstream.js';

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Headers Node's HTTP client adds on its own when the client did not send them. */
const ADDED_BY_FORWARDING = new Set(['host', 'connection', 'transfer-encoding']);

/** The stored copy of a body, as bytes. */
export function storedBytes(body: Body): Buffer {
  return Buffer.from(body.data, body.encoding === 'base64' ? 'base64' : 'utf8');
}

/** The body is recorded whole and byte for byte (under the limit). */
export function expectWholeBody(body: Body, bytes: Buffer): void {
  expect(body.sizeBytes).toBe(bytes.length);
  expect(body.sha256).toBe(sha256(bytes));
  expect(body.truncatedBytes).toBe(0);
  expect(storedBytes(body).equals(bytes)).toBe(true);
}

/** Recorded request == what the upstream received: method, path, every header in order and case, body. */
export function expectRequestAsSeen(ex: ExchangeRecord, seen: SeenRequest): void {
  expect(ex.request.method).toBe(seen.method);
  expect(new URL(ex.request.url).pathname + new URL(ex.request.url).search).toBe(seen.path);
  const recorded = ex.request.headers;
  const extra = seen.headers.filter(([n]) => !recorded.some(([r]) => r.toLowerCase() === n.toLowerCase()));
  // Everything the client sent arrives in the same order and case; only framing headers may be added.
  expect(seen.headers.filter((h) => !extra.includes(h))).toEqual(recorded);
  for (const [name] of extra) expect(ADDED_BY_FORWARDING.has(name.toLowerCase())).toBe(true);
  expectWholeBody(ex.request.body, seen.body);
}

/** Recorded response: status, exact reason phrase, the server's headers (in order, case kept) and body. */
export function expectResponseAsSent(
  ex: ExchangeRecord,
  sent: { status: number; reason: string; headers: RawHeaders; body: Buffer },
): void {
  expect(ex.state).toBe('completed');
  const response = ex.response;
  if (!response) throw new Error('no response recorded');
  expect(response.statusCode).toBe(sent.status);
  expect(response.statusMessage).toBe(sent.reason);
  // Node appends Date/Connection/Keep-Alive/Transfer-Encoding after the headers we gave it.
  expect(response.headers.slice(0, sent.headers.length)).toEqual(sent.headers);
  expectWholeBody(response.body, sent.body);
}

export function only<T>(items: T[]): T {
  expect(items).toHaveLength(1);
  return items[0] as T;
}
