/**
 * HAR 1.2 → a capture, so a browser's, mitmproxy's or HTTP Toolkit's recording renders like our
 * own. Each entry is checked against the HAR schema (`har-schema`) and the exchange it becomes
 * against the capture schema; errors name the file and the entry (`x.har: log.entries[3]: …`).
 * HAR has no attribution: every request is sent by the browser (or the HAR's creator), and hosts
 * become participants as in any capture (Keystone catalogs in the HAR still name them). A HAR that
 * flowscribe exported carries `_`-prefixed fields that restore the capture exactly.
 */
import { UserError } from '../errors.js';
import { describeSchemaError, parseRecord, typeValidator } from './capture.js';
import type { Capture, ExchangeRecord, HeaderRecord, Instant, RawHeaders, Source, Timings, TrailerRecord } from './exchange.js';
import { FORMAT_VERSION } from './exchange.js';
import type { Har, HarEntry, HarLog } from './har.js';
import { bodyFromHar } from './har-body.js';
import { describeHarError, harEntryValidator } from './har-schema.js';

/** HAR versions read (1.1 differs from 1.2 only in fields we do not use). */
const VERSIONS = ['1.1', '1.2'];
/** A bigger entry is refused rather than held whole in memory (and as one capture line). */
export const MAX_ENTRY_BYTES = 32 * 1024 * 1024;

export interface HarImportOptions {
  /** Written as the capture header's `flowscribeVersion` when the HAR is not flowscribe's own. */
  flowscribeVersion: string;
}

function parseLog(text: string, name: string): HarLog {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new UserError(`${name}: not valid JSON (${(err as Error).message})`);
  }
  const log = (doc as Partial<Har> | null)?.log;
  if (typeof log !== 'object' || log === null) throw new UserError(`${name}: not a HAR file (no "log" object)`);
  if (!VERSIONS.includes(String(log.version))) {
    throw new UserError(`${name}: unsupported HAR version ${JSON.stringify(log.version)} (flowscribe reads ${VERSIONS.join(' and ')})`);
  }
  if (!Array.isArray(log.entries)) throw new UserError(`${name}: log.entries is not a list`);
  return log;
}

function checkEntry(entry: unknown, where: string): HarEntry {
  const size = JSON.stringify(entry)?.length ?? 0;
  if (size > MAX_ENTRY_BYTES) {
    throw new UserError(`${where}: ${size} bytes, over the ${MAX_ENTRY_BYTES / 1024 / 1024} MiB a HAR entry may hold`);
  }
  const validate = harEntryValidator();
  if (!validate(entry)) throw new UserError(`${where}: not a HAR 1.2 entry (${describeHarError(validate.errors)})`);
  return entry as HarEntry;
}

const raw = (list: Array<{ name: string; value: string }>): RawHeaders => list.map(({ name, value }) => [name, value]);
const httpVersion = (v: string): string => v.replace(/^HTTP\//i, '').replace(/^h(\d)$/i, '$1') || '1.1';

/** Our instants from HAR's start time and millisecond phases, on a clock starting at `originMs`. */
function derivedTimings(entry: HarEntry, originMs: number, answered: boolean): Timings {
  const t = entry.timings;
  const startMs = Date.parse(entry.startedDateTime);
  const instant = (ms: number): Instant => ({ at: new Date(ms).toISOString(), ns: Math.round((ms - originMs) * 1e6) });
  const phase = (ms: number | undefined): number => (ms !== undefined && ms > 0 ? ms : 0);
  const requestEndMs = startMs + phase(t.blocked) + phase(t.dns) + phase(t.connect) + phase(t.send);
  const responseStartMs = requestEndMs + phase(t.wait);
  return {
    requestStart: instant(startMs),
    requestEnd: instant(requestEndMs),
    responseStart: answered ? instant(responseStartMs) : null,
    responseEnd: answered ? instant(responseStartMs + phase(t.receive)) : null,
  };
}

interface EntryContext {
  originMs: number;
  client: Source;
}

function toExchange(entry: HarEntry, seq: number, ctx: EntryContext): ExchangeRecord {
  const req = entry.request;
  const requestHeaders = raw(req.headers);
  const res = entry.response;
  const answered = res.status > 0;
  const response = answered
    ? { statusCode: res.status, statusMessage: res.statusText, httpVersion: httpVersion(res.httpVersion), headers: raw(res.headers), body: bodyFromHar(res.content, res.bodySize, raw(res.headers)) }
    : null;
  const common = {
    type: 'exchange' as const,
    seq: entry._seq ?? seq,
    source: entry._source ?? ctx.client,
    request: { method: req.method, url: req.url, httpVersion: httpVersion(req.httpVersion), headers: requestHeaders, body: bodyFromHar(req.postData, req.bodySize, requestHeaders) },
    timings: entry._instants ?? derivedTimings(entry, ctx.originMs, answered),
    ...(entry._recorder ? { recorder: entry._recorder } : {}),
  };
  const state = entry._state ?? (answered ? 'completed' : 'failed');
  if (state === 'completed' || state === 'incomplete') return { ...common, state, response } as ExchangeRecord;
  const error = entry._error ?? { code: 'EHAR', message: res._failureText ?? 'no response in the HAR' };
  return { ...common, state, error, response };
}

/** The exchange checked against the capture schema's exchange definition (its message is precise). */
function checkedExchange(exchange: ExchangeRecord, where: string): ExchangeRecord {
  const plain: unknown = JSON.parse(JSON.stringify(exchange));
  const validate = typeValidator('exchange');
  if (validate && !validate(plain)) throw new UserError(`${where}: ${describeSchemaError(validate.errors)}`);
  return plain as ExchangeRecord;
}

/** Who sent the requests: the browser that wrote the HAR, else its creator. */
function clientSource(log: HarLog): Source {
  return { kind: 'listener', label: (log.browser?.name || log.creator?.name || 'browser').toLowerCase() };
}

function frame(log: HarLog, exchanges: ExchangeRecord[], name: string, options: HarImportOptions): { header: HeaderRecord; trailer: TrailerRecord | null } {
  const own = log._flowscribe;
  if (own) {
    const header = parseRecord(JSON.stringify(own.header), `${name}: log._flowscribe.header`) as HeaderRecord;
    const trailer = own.trailer === null ? null : (parseRecord(JSON.stringify(own.trailer), `${name}: log._flowscribe.trailer`) as TrailerRecord);
    return { header, trailer };
  }
  const first = exchanges[0]?.timings.requestStart.at ?? log.pages?.[0]?.startedDateTime ?? new Date(0).toISOString();
  const ends = exchanges.map((e) => e.timings.responseEnd ?? e.timings.requestStart);
  const last = ends.reduce((a, b) => (b.ns > a.ns ? b : a), ends[0] ?? { at: first, ns: 0 });
  const header: HeaderRecord = { type: 'header', formatVersion: FORMAT_VERSION, flowscribeVersion: options.flowscribeVersion, argv: null, cwd: '', startedAt: first, environment: {}, listeners: [] };
  return { header, trailer: { type: 'trailer', endedAt: last.at, exit: null, stdout: null, exchangeCount: exchanges.length } };
}

/** Parses a HAR document held in memory into a capture. `name` is used in messages (the file). */
export function parseHar(text: string, name: string, options: HarImportOptions): Capture {
  const log = parseLog(text, name);
  const entries = log.entries.map((entry, i) => ({ entry: checkEntry(entry, `${name}: log.entries[${i}]`), i }));
  const kept = entries.filter(({ entry }) => /^https?:\/\//i.test(entry.request.url));
  // Foreign HARs are numbered in start order; flowscribe's own keep their `_seq`.
  const ordered = [...kept].sort((a, b) => Date.parse(a.entry.startedDateTime) - Date.parse(b.entry.startedDateTime));
  const originMs = ordered.reduce((min, { entry }) => Math.min(min, Date.parse(entry.startedDateTime)), Number.POSITIVE_INFINITY);
  const ctx: EntryContext = { originMs, client: clientSource(log) };
  const exchanges = ordered.map(({ entry, i }, n) => checkedExchange(toExchange(entry, n + 1, ctx), `${name}: log.entries[${i}]`));
  const seen = new Set<number>();
  for (const e of exchanges) {
    if (seen.has(e.seq)) throw new UserError(`${name}: _seq ${e.seq} appears twice`);
    seen.add(e.seq);
  }
  exchanges.sort((a, b) => a.seq - b.seq);
  const skipped = entries.length - kept.length;
  const warnings = skipped > 0 ? [`${name}: ${skipped} entr${skipped === 1 ? 'y' : 'ies'} with a non-HTTP URL (data:, blob:, ws:) left out`] : [];
  return { ...frame(log, exchanges, name, options), exchanges, warnings };
}
