/**
 * A capture as HAR 1.2: one entry per exchange in `seq` order, headers in wire order and case,
 * bodies as text or base64, our instants as HAR timings (`-1` where unknown) and the flowscribe
 * facts HAR lacks as `_`-prefixed fields (see `model/har.ts`). Secrets are redacted first, as on
 * the page. Pure: the same capture gives the same HAR.
 */
import { lastInstant } from '../model/exchange-timing.js';
import type { Body, Capture, ExchangeRecord, Instant, RawHeaders, RecordedResponse } from '../model/exchange.js';
import type { Har, HarBodyExtras, HarContent, HarCookie, HarEntry, HarNameValue, HarPostData, HarResponse, HarTimings } from '../model/har.js';
import { mediaTypeFrom } from '../model/har-body.js';
import type { Profile } from '../model/profiles/profile.js';
import { redactCapture, redactFrame, type SecretsMode } from '../model/redact.js';

export interface HarOptions {
  secrets: SecretsMode;
  /** Names the tokens' owners in `label` mode; chosen from the capture when absent. */
  profile?: Profile | null;
  /** flowscribe's version, for `log.creator`. */
  version: string;
}

function nameValues(headers: RawHeaders): HarNameValue[] {
  return headers.map(([name, value]) => ({ name, value }));
}

function headerValues(headers: RawHeaders, wanted: string): string[] {
  return headers.filter(([name]) => name.toLowerCase() === wanted).map(([, value]) => value);
}

/** `a=1; b=2` → two cookies. */
function requestCookies(headers: RawHeaders): HarCookie[] {
  return headerValues(headers, 'cookie').flatMap((line) =>
    line.split(';').map((part) => part.trim()).filter((part) => part !== '').map(cookiePair),
  );
}

function cookiePair(pair: string): HarCookie {
  const eq = pair.indexOf('=');
  return eq < 0 ? { name: pair, value: '' } : { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim() };
}

/** `id=abc; Path=/; HttpOnly` → a cookie with its attributes. */
function setCookie(line: string): HarCookie {
  const [pair = '', ...attributes] = line.split(';');
  const cookie = cookiePair(pair);
  for (const attribute of attributes) {
    const { name, value } = cookiePair(attribute.trim());
    const key = name.toLowerCase();
    if (key === 'path') cookie.path = value;
    else if (key === 'domain') cookie.domain = value;
    else if (key === 'expires') cookie.expires = value;
    else if (key === 'httponly') cookie.httpOnly = true;
    else if (key === 'secure') cookie.secure = true;
  }
  return cookie;
}

function queryString(url: string): HarNameValue[] {
  const q = url.indexOf('?');
  if (q < 0) return [];
  return [...new URLSearchParams(url.slice(q + 1).replace(/#.*$/, ''))].map(([name, value]) => ({ name, value }));
}

function bodyExtras(body: Body): HarBodyExtras {
  return { _sha256: body.sha256, _truncatedBytes: body.truncatedBytes, _mediaType: body.mediaType, _contentEncoding: body.contentEncoding, _file: body.file };
}

function bodyText(body: Body): { text: string; encoding?: string } {
  return body.encoding === 'base64' ? { text: body.data, encoding: 'base64' } : { text: body.data };
}

function contentType(headers: RawHeaders, body: Body): string {
  return headerValues(headers, 'content-type')[0] ?? body.mediaType ?? '';
}

/** An empty body is left out unless it says more than its headers do (a media type, a file). */
function postData(headers: RawHeaders, body: Body): HarPostData | undefined {
  const plainEmpty = body.sizeBytes === 0 && body.data === '' && body.file === null && body.mediaType === mediaTypeFrom(headers);
  if (plainEmpty) return undefined;
  return { mimeType: contentType(headers, body), ...bodyText(body), ...bodyExtras(body) };
}

/** HAR's `content.size` is the decoded length; ours is on the wire unless we decoded it. */
function content(headers: RawHeaders, body: Body): HarContent {
  const stored = Buffer.byteLength(body.data, body.encoding === 'base64' ? 'base64' : 'utf8');
  const size = body.contentEncoding ? stored + body.truncatedBytes : body.sizeBytes;
  const compression = body.contentEncoding ? { compression: size - body.sizeBytes } : {};
  return { size, ...compression, mimeType: contentType(headers, body), ...bodyText(body), ...bodyExtras(body) };
}

function response(r: RecordedResponse | null): HarResponse {
  if (!r) {
    return { status: 0, statusText: '', httpVersion: '', cookies: [], headers: [], content: { size: 0, mimeType: '' }, redirectURL: '', headersSize: -1, bodySize: -1 };
  }
  return {
    status: r.statusCode,
    statusText: r.statusMessage,
    httpVersion: `HTTP/${r.httpVersion}`,
    cookies: headerValues(r.headers, 'set-cookie').map(setCookie),
    headers: nameValues(r.headers),
    content: content(r.headers, r.body),
    redirectURL: headerValues(r.headers, 'location')[0] ?? '',
    headersSize: -1,
    bodySize: r.body.sizeBytes,
  };
}

/** Milliseconds between two instants on the monotonic clock; -1 when either is unknown. */
function spanMs(from: Instant | null, to: Instant | null): number {
  return from && to ? (to.ns - from.ns) / 1e6 : -1;
}

function timings(e: ExchangeRecord): { time: number; timings: HarTimings } {
  const t = e.timings;
  const send = spanMs(t.requestStart, t.requestEnd);
  const wait = spanMs(t.requestEnd, t.responseStart);
  const receive = spanMs(t.responseStart, t.responseEnd);
  const last = lastInstant(e);
  return { time: spanMs(t.requestStart, last), timings: { blocked: -1, dns: -1, connect: -1, ssl: -1, send, wait, receive } };
}

export function harEntry(e: ExchangeRecord): HarEntry {
  const req = e.request;
  const post = postData(req.headers, req.body);
  return {
    startedDateTime: e.timings.requestStart.at,
    ...timings(e),
    request: {
      method: req.method,
      url: req.url,
      httpVersion: `HTTP/${req.httpVersion}`,
      cookies: requestCookies(req.headers),
      headers: nameValues(req.headers),
      queryString: queryString(req.url),
      ...(post ? { postData: post } : {}),
      headersSize: -1,
      bodySize: req.body.sizeBytes,
    },
    response: response(e.response),
    cache: {},
    _seq: e.seq,
    _source: e.source,
    _state: e.state,
    _error: e.state === 'failed' || e.state === 'aborted' ? e.error : null,
    _instants: e.timings,
    ...(e.recorder ? { _recorder: e.recorder } : {}),
  };
}

/** The capture as a HAR document (secrets redacted as `options.secrets` says). */
export function toHar(capture: Capture, options: HarOptions): Har {
  const shown = redactCapture(capture, options.secrets, options.profile);
  const frame = redactFrame(capture, options.secrets, options.profile);
  return {
    log: {
      version: '1.2',
      creator: { name: 'flowscribe', version: options.version },
      entries: shown.exchanges.map(harEntry),
      _flowscribe: { header: frame.header, trailer: frame.trailer },
    },
  };
}

/** The HAR as written: two-space JSON with a final newline. */
export function renderHar(capture: Capture, options: HarOptions): string {
  return `${JSON.stringify(toHar(capture, options), null, 2)}\n`;
}
