/** Factories for capture records with fixed times (tests must not depend on the clock). */
import { createHash } from 'node:crypto';
import type { Body, ExchangeRecord, HeaderRecord, RawHeaders, TrailerRecord } from '../../src/model/exchange.js';

export const T0 = '2022-12-19T09:51:29.000Z';

export function makeBody(text: string, mediaType: string | null = text ? 'application/json' : null): Body {
  const bytes = Buffer.from(text, 'utf8');
  return {
    sizeBytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    mediaType,
    contentEncoding: null,
    encoding: 'utf8',
    data: text,
    truncatedBytes: 0,
    file: null,
  };
}

export function makeHeader(overrides: Partial<HeaderRecord> = {}): HeaderRecord {
  return {
    type: 'header',
    formatVersion: 1,
    flowscribeVersion: '0.1.0',
    argv: ['openstack', 'image', 'list'],
    cwd: '/home/user',
    startedAt: T0,
    environment: { OS_AUTH_URL: 'http://127.0.0.1:5000/v3', OS_PASSWORD: '***' },
    listeners: [{ label: 'default', host: '127.0.0.1', port: 8888 }],
    ...overrides,
  };
}

function instant(ms: number): { at: string; ns: number } {
  return { at: new Date(Date.parse(T0) + ms).toISOString(), ns: ms * 1_000_000 };
}

export interface ExchangeSpec {
  seq: number;
  method?: string;
  url?: string;
  requestHeaders?: RawHeaders;
  requestBody?: string;
  status?: number;
  reason?: string;
  responseHeaders?: RawHeaders;
  responseBody?: string;
  /** Start offset in ms from T0. */
  startMs?: number;
  /** How long the exchange lasts, in ms (10 by default). */
  durationMs?: number;
  source?: ExchangeRecord['source'];
}

export function makeExchange(spec: ExchangeSpec): ExchangeRecord {
  const start = spec.startMs ?? spec.seq * 100;
  const duration = spec.durationMs ?? 10;
  return {
    type: 'exchange',
    seq: spec.seq,
    state: 'completed',
    source: spec.source ?? { kind: 'process', isClient: true, pid: 4242, comm: 'openstack', cmdline: ['openstack'] },
    request: {
      method: spec.method ?? 'GET',
      url: spec.url ?? 'http://127.0.0.1:5000/v3',
      httpVersion: '1.1',
      headers: spec.requestHeaders ?? [['Accept', 'application/json']],
      body: makeBody(spec.requestBody ?? '', spec.requestBody ? 'application/json' : null),
    },
    response: {
      statusCode: spec.status ?? 200,
      statusMessage: spec.reason ?? 'OK',
      httpVersion: '1.1',
      headers: spec.responseHeaders ?? [['Content-Type', 'application/json']],
      body: makeBody(spec.responseBody ?? '{}'),
    },
    timings: {
      requestStart: instant(start),
      requestEnd: instant(start + 1),
      responseStart: instant(start + duration - 1),
      responseEnd: instant(start + duration),
    },
  };
}

export function makeTrailer(exchangeCount: number, stdout = ''): TrailerRecord {
  return {
    type: 'trailer',
    endedAt: instant(100_000).at,
    exit: { kind: 'exited', code: 0 },
    stdout: makeBody(stdout, 'text/plain'),
    exchangeCount,
  };
}

/** Serialises records as a capture file's text. */
export function toJsonl(records: object[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + '\n';
}
