/**
 * HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/) as flowscribe writes and reads it:
 * the types of the parts we use, and the `_`-prefixed custom fields (allowed by the spec) that
 * carry what HAR has no place for, so a flowscribe capture survives capture → HAR → capture.
 * docs/guide/interchange.md maps every field.
 */
import type { Instant, Source, TransportError } from './exchange.js';

export interface HarNameValue {
  name: string;
  value: string;
}

export interface HarCookie extends HarNameValue {
  path?: string;
  domain?: string;
  expires?: string;
  httpOnly?: boolean;
  secure?: boolean;
}

/** flowscribe's body facts HAR has no field for (on `postData` and `content`). */
export interface HarBodyExtras {
  /** SHA-256 of the whole body as it crossed the wire. */
  _sha256?: string;
  /** Bytes of the (decoded) body not stored because of the body limit. */
  _truncatedBytes?: number;
  /** The body's media type as recorded (Content-Type without parameters), or null. */
  _mediaType?: string | null;
  /** The Content-Encoding decoded for the stored text, or null. */
  _contentEncoding?: string | null;
  /** The full body's file in `--bodies-dir`, or null. */
  _file?: string | null;
}

export interface HarPostData extends HarBodyExtras {
  mimeType: string;
  text?: string;
  /** `base64` when `text` is base64 (as in `content`; HAR 1.2 leaves postData binary undefined). */
  encoding?: string;
  params?: Array<HarNameValue & { fileName?: string; contentType?: string }>;
}

export interface HarContent extends HarBodyExtras {
  size: number;
  compression?: number;
  mimeType: string;
  text?: string;
  encoding?: string;
}

export interface HarRequest {
  method: string;
  url: string;
  httpVersion: string;
  cookies: HarCookie[];
  headers: HarNameValue[];
  queryString: HarNameValue[];
  postData?: HarPostData;
  headersSize: number;
  bodySize: number;
}

export interface HarResponse {
  status: number;
  statusText: string;
  httpVersion: string;
  cookies: HarCookie[];
  headers: HarNameValue[];
  content: HarContent;
  redirectURL: string;
  headersSize: number;
  bodySize: number;
  /** Chromium/Playwright: the transport error of a request that got no response. */
  _failureText?: string;
}

export interface HarTimings {
  blocked?: number;
  dns?: number;
  connect?: number;
  ssl?: number;
  send: number;
  wait: number;
  receive: number;
}

/** flowscribe's exchange facts HAR has no field for. */
export interface HarEntryExtras {
  _seq?: number;
  _source?: Source;
  _state?: 'completed' | 'failed' | 'aborted' | 'incomplete';
  _error?: TransportError | null;
  /** Our four instants exactly (HAR's milliseconds lose the monotonic nanoseconds). */
  _instants?: { requestStart: Instant; requestEnd: Instant | null; responseStart: Instant | null; responseEnd: Instant | null };
  /** Which recorder the exchange came from, in a merged capture. */
  _recorder?: { file: string; host: string | null };
}

export interface HarEntry extends HarEntryExtras {
  pageref?: string;
  startedDateTime: string;
  time: number;
  request: HarRequest;
  response: HarResponse;
  cache: Record<string, unknown>;
  timings: HarTimings;
}

export interface HarLog {
  version: string;
  creator: { name: string; version: string; comment?: string };
  browser?: { name: string; version: string };
  pages?: Array<{ id: string; title: string; startedDateTime: string }>;
  entries: HarEntry[];
  comment?: string;
  /** The flowscribe capture's header and trailer, so a round trip keeps the command and output. */
  _flowscribe?: { header: unknown; trailer: unknown };
}

export interface Har {
  log: HarLog;
}
