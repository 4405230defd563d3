/**
 * The contract between the proxy core (`recorder.ts`, `proxy/listener.ts`, `capture-writer.ts`,
 * `body-recorder.ts`) and the command side (`wrap-command.ts`, `source.ts`, `cli/record.ts`).
 */
import type { UserError } from '../errors.js';
import type { Body, CommandExit, ExchangeRecord, HeaderRecord, Listener, Source } from '../model/exchange.js';

/** What the proxy knows about a client connection when a request starts. */
export interface ConnectionInfo {
  /** Label of the listener the connection came in on (`default` for the main one). */
  listenerLabel: string;
  /** The client's address and port as the proxy sees them (the peer of the accepted socket). */
  remoteAddress: string;
  remotePort: number;
  /** The proxy's local port of that socket. */
  localPort: number;
  /** The request's User-Agent header, if any. */
  userAgent: string | null;
  /**
   * The same object for every request of one client connection (its socket; a CONNECT tunnel's for
   * HTTPS), and another for any other connection: what a resolver may cache its answer by.
   */
  identity: object;
}

/** Decides who sent a request (listener label, owning process, or User-Agent). */
export type SourceResolver = (connection: ConnectionInfo) => Source;

export interface RecorderOptions {
  /** Capture file; opened for appending before any listener starts (unwritable: a UserError naming it). */
  capturePath: string;
  /** Header fields the caller knows: the command's argv (null in proxy mode), cwd, masked OS_* environment. */
  header: Pick<HeaderRecord, 'argv' | 'executable' | 'cwd' | 'environment' | 'upstreamTls'>;
  /** Address every listener binds; 127.0.0.1 unless the user says otherwise. */
  host: string;
  /** Port of the main (`default`) listener; 0 = ephemeral. */
  port: number;
  /** Extra labelled listeners (`--listen glance-api=9400`); port 0 = ephemeral. */
  listeners: Array<{ label: string; port: number }>;
  /** CA directory (created on first use, key mode 0600). */
  caDir: string;
  /** Bytes of each body kept in the capture; the rest is counted and hashed only. */
  bodyLimitBytes: number;
  /** Directory for full bodies as content-addressed files, or null. */
  bodiesDir: string | null;
  /** Attribution of requests to senders; defaults to listener label, else User-Agent. */
  resolveSource?: SourceResolver;
  /** Called after each exchange record is written (for the live status line). */
  onExchange?: (exchange: ExchangeRecord) => void;
  /**
   * Called once if the capture file stops accepting records (disk full, ...). The recorder has
   * then already closed its listeners, so no traffic passes unrecorded; `stop()` rejects with it.
   */
  onFatal?: (error: UserError) => void;
  /** Problems outside any exchange, e.g. a client that rejected our certificate (TLS handshake). */
  onWarning?: (message: string) => void;
  /** Extra PEM CA certificates trusted for upstream HTTPS, besides the system ones. */
  upstreamCaPems?: string[];
  /** Upstream HTTPS without certificate verification (`--insecure-upstream`). */
  insecureUpstream?: boolean;
  /** Idle milliseconds without upstream bytes before the client gets 504 (default 120000). */
  upstreamTimeoutMs?: number;
  /** Milliseconds a new upstream connection (TCP and TLS handshake) may take (default: `upstreamTimeoutMs`). */
  connectTimeoutMs?: number;
}

export interface Recorder {
  /** The listeners actually bound (ephemeral ports resolved). */
  listeners: Listener[];
  /** PEM file of the recorder's CA certificate. */
  caCertPath: string;
  /** Exchange records written so far. */
  exchangeCount(): number;
  /** Resolves if the capture stops accepting records (listeners are then closed; `stop()` rejects). */
  failed: Promise<void>;
  /** Body bytes (request + response, on the wire) seen so far. */
  bytesSeen(): number;
  /**
   * Stops listening, writes in-flight exchanges as `incomplete`, writes the trailer, closes the file.
   * `exit`/`stdout` are null in proxy mode.
   */
  stop(end: { exit: CommandExit | null; stdout: Body | null }): Promise<void>;
}
