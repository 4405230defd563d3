/**
 * The capture format, version 1: the contract between recording and rendering.
 *
 * A capture is a JSON-lines file: one `HeaderRecord`, then one `ExchangeRecord` per HTTP exchange,
 * appended as soon as the exchange completes (so lines are in completion order; `seq` is the
 * order in which requests *started*), then one `TrailerRecord` when recording ends. A recorder
 * killed mid-run leaves no trailer and possibly a partial last line; every complete line is valid.
 * `schema/capture.schema.json` is the machine-checked form of these types;
 * `docs/capture-format.md` explains them.
 *
 * Headers are `RawHeaders`: ordered `[name, value]` pairs in wire order with the original case.
 */

/** The capture format version this build writes and reads. */
export const FORMAT_VERSION = 1;

/** Ordered, case-preserving header list exactly as sent on the wire. Lowercase only to look up. */
export type RawHeaders = Array<[name: string, value: string]>;

/** A point in time: wall clock plus a monotonic clock, so ordering never depends on NTP. */
export interface Instant {
  /** ISO-8601 UTC wall-clock time. */
  at: string;
  /** Monotonic nanoseconds since the recorder started (`process.hrtime.bigint()` based). */
  ns: number;
}

/**
 * A recorded body. Size and hash always describe the *whole* body as it crossed the wire
 * (content-encoding intact, transfer-encoding removed); the stored copy may be cut at the body
 * limit and, when `contentEncoding` is set, is the decoded form.
 */
export interface Body {
  /** Total bytes on the wire (after de-chunking, before content-decoding). */
  sizeBytes: number;
  /** Lower-case hex SHA-256 of those `sizeBytes` bytes. */
  sha256: string;
  /** Media type from Content-Type (without parameters), or null when absent. */
  mediaType: string | null;
  /** Content-Encoding that was decoded for the stored copy (`gzip`, `deflate`, `br`), or null. */
  contentEncoding: string | null;
  /** How `data` is stored: UTF-8 text, or base64 for anything that is not valid UTF-8 text. */
  encoding: 'utf8' | 'base64';
  /** The stored copy (possibly cut at the body limit). Empty string for an empty body. */
  data: string;
  /** Bytes of the (decoded) body that were not stored because of the body limit; 0 when complete. */
  truncatedBytes: number;
  /** Path (relative to the capture file) of the full body in `--bodies-dir`, or null. */
  file: string | null;
}

/** How the sender of a request was identified. */
export type Source =
  | {
      kind: 'listener';
      /** Label of the dedicated listener the request came in on (`--listen glance-api=PORT`). */
      label: string;
    }
  | {
      kind: 'process';
      /** True when the process belongs to the wrapped command's process tree. */
      isClient: boolean;
      pid: number;
      /** Process name from /proc/PID/comm. */
      comm: string;
      /** argv from /proc/PID/cmdline. */
      cmdline: string[];
    }
  | {
      kind: 'user-agent';
      userAgent: string;
    }
  | { kind: 'unknown' };

export interface RecordedRequest {
  method: string;
  /** Absolute URL (`http://host:port/path?query`, `https://...` for CONNECT-tunnelled requests). */
  url: string;
  /** HTTP version the client spoke, e.g. `1.1` or `1.0`. */
  httpVersion: string;
  headers: RawHeaders;
  body: Body;
}

export interface RecordedResponse {
  statusCode: number;
  /** Reason phrase exactly as the server sent it (`MULTIPLE CHOICES` vs `Multiple Choices`). */
  statusMessage: string;
  httpVersion: string;
  headers: RawHeaders;
  body: Body;
}

/** A transport-level failure, distinct from an HTTP error status. */
export interface TransportError {
  /** Node/OpenSSL error code (`ECONNREFUSED`, `ECONNRESET`, `ETIMEDOUT`, `CERT_HAS_EXPIRED`, ...). */
  code: string;
  message: string;
}

export interface Timings {
  requestStart: Instant;
  /** When the last request byte was received from the client; null if it never was. */
  requestEnd: Instant | null;
  /** When the response head arrived from the server; null if it never did. */
  responseStart: Instant | null;
  /** When the last response byte was sent to the client; null if it never was. */
  responseEnd: Instant | null;
}

/** Which recorder an exchange came from; set by `flowscribe merge`, absent in a single recording. */
export interface RecorderRef {
  /** The capture file the exchange was merged from, as named on the command line. */
  file: string;
  /** The host that recorded it (the capture header's `hostname`), or null when unknown. */
  host: string | null;
}

interface ExchangeCommon {
  type: 'exchange';
  /** 1-based, in the order requests started. */
  seq: number;
  source: Source;
  request: RecordedRequest;
  timings: Timings;
  /** Which recorder the exchange came from (merged captures only). */
  recorder?: RecorderRef;
}

/** The lifecycle state of an exchange: exactly one of these. */
export type ExchangeRecord =
  | (ExchangeCommon & { state: 'completed'; response: RecordedResponse })
  | (ExchangeCommon & {
      /** The upstream could not be reached or broke; the client got a 502/504 from the recorder. */
      state: 'failed';
      error: TransportError;
      /** The part of the upstream's response that did arrive, if any. */
      response: RecordedResponse | null;
    })
  | (ExchangeCommon & {
      /** The client went away before the exchange finished. */
      state: 'aborted';
      error: TransportError;
      response: RecordedResponse | null;
    })
  | (ExchangeCommon & {
      /** Still in flight when recording stopped (flushed at shutdown). */
      state: 'incomplete';
      response: RecordedResponse | null;
    });

export type ExchangeState = ExchangeRecord['state'];

/** The label of the recorder's main listener (`--port`); every other listener has a name of its own. */
export const DEFAULT_LISTENER = 'default';

/** A listener of the recorder. */
export interface Listener {
  /** `default` for the main listener, else the label given with `--listen LABEL=PORT`. */
  label: string;
  host: string;
  port: number;
}

export interface HeaderRecord {
  type: 'header';
  formatVersion: typeof FORMAT_VERSION;
  flowscribeVersion: string;
  /** The wrapped command's argv, or null when recording with `flowscribe proxy`. */
  argv: string[] | null;
  /** Absolute path of the program argv[0] named, as resolved through PATH at record time (absent in older captures). */
  executable?: string;
  cwd: string;
  startedAt: string;
  /** The `OS_*` environment of the command, secrets (`OS_PASSWORD`, tokens, ...) masked as `***`. */
  environment: Record<string, string>;
  listeners: Listener[];
  /** The recording host's name (optional: captures written before it was added lack it). */
  hostname?: string;
  /** How the recorder checked upstream TLS certificates (absent in captures of older versions). */
  upstreamTls?: UpstreamTls;
}

/** Upstream TLS verification: off with `--insecure-upstream`; the CA files trusted besides Node's store. */
export interface UpstreamTls {
  verify: boolean;
  /** Each CA file and where it came from: `--upstream-ca`, `OS_CACERT`, `--os-cacert`, ... */
  caFiles: Array<{ path: string; from: string }>;
}

/** How the wrapped command ended. */
export type CommandExit =
  | { kind: 'exited'; code: number }
  | { kind: 'signaled'; signal: string }
  | { kind: 'not-started'; message: string };

export interface TrailerRecord {
  type: 'trailer';
  endedAt: string;
  /** How the command ended; null in proxy mode (no command). */
  exit: CommandExit | null;
  /** The command's stdout (the page's "Output" section); null in proxy mode. */
  stdout: Body | null;
  /** Number of exchange records written before this trailer. */
  exchangeCount: number;
}

export type CaptureRecord = HeaderRecord | ExchangeRecord | TrailerRecord;

/** A whole capture as read back from disk. */
export interface Capture {
  header: HeaderRecord;
  /** Exchanges sorted by `seq`. */
  exchanges: ExchangeRecord[];
  /** Null when the recorder did not finish (killed). */
  trailer: TrailerRecord | null;
  /** Non-fatal problems found while reading (e.g. a truncated last line), each naming file:line. */
  warnings: string[];
}
