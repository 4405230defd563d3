/**
 * The recorder: listeners (http-mitm-proxy via `proxy/listener.ts`), forwarding (`proxy/forwarder.ts`), one
 * `ExchangeTracker` per request and the capture file (`capture-writer.ts`). See
 * `recorder-types.ts` for the contract with the command side.
 */
import type https from 'node:https';
import { createSecureContext, type SecureContext } from 'node:tls';
import { dirname, resolve } from 'node:path';
import { hostname } from 'node:os';
import { UserError } from '../errors.js';
import { flowscribeVersion } from '../version.js';
import { DEFAULT_LISTENER, FORMAT_VERSION, type ExchangeRecord, type Instant, type Listener, type Source } from '../model/exchange.js';
import { BodyRecorder } from './capture-file/body-recorder.js';
import { ensureCa, restrictPermissions } from './proxy/ca.js';
import { CaptureWriter } from './capture-file/capture-writer.js';
import { ExchangeTracker, type TrackerContext } from './exchange-tracker.js';
import { InFlightList } from './in-flight.js';
import { forward, type UpstreamConfig } from './proxy/forwarder.js';
import { relayed } from './proxy/body-memory.js';
import { checkListenersFree } from './proxy/port-check.js';
import { recordDefaults } from '../defaults.js';
import { upstreamHttpAgent, upstreamHttpsAgent } from './proxy/upstream-agents.js';
import { startProxyListener, type IncomingExchange, type ProxyListener } from './proxy/listener.js';
import type { ConnectionInfo, Recorder, RecorderOptions } from './recorder-types.js';
import { upstreamAdvice, upstreamCaList } from './proxy/upstream-trust.js';

/** Default idle timeout towards upstreams (no bytes either way): then the client gets 504. */
export const DEFAULT_UPSTREAM_TIMEOUT_MS = recordDefaults.upstreamTimeoutMs;

/** Listener label, else User-Agent: what can be known without looking at processes. */
export function defaultSource(connection: ConnectionInfo): Source {
  if (connection.listenerLabel !== DEFAULT_LISTENER) return { kind: 'listener', label: connection.listenerLabel };
  if (connection.userAgent) return { kind: 'user-agent', userAgent: connection.userAgent };
  return { kind: 'unknown' };
}

function makeClock(): () => Instant {
  const origin = process.hrtime.bigint();
  // An exchange reads the clock four times, and many exchanges share a millisecond: the ISO text
  // (millisecond precision) is made once per millisecond.
  let lastMs = -1;
  let lastAt = '';
  return () => {
    const ms = Date.now();
    if (ms !== lastMs) {
      lastMs = ms;
      lastAt = new Date(ms).toISOString();
    }
    return { at: lastAt, ns: Number(process.hrtime.bigint() - origin) };
  };
}

/** The first Content-Type and Content-Encoding values, in one pass over the headers. */
function bodyHeaders(headers: Array<[string, string]>): { contentType: string | null; contentEncoding: string | null } {
  let contentType: string | null = null;
  let contentEncoding: string | null = null;
  for (const [name, value] of headers) {
    if (name.length !== 12 && name.length !== 16) continue; // neither name: no lower-casing
    const lower = name.toLowerCase();
    if (lower === 'content-type') contentType ??= value;
    else if (lower === 'content-encoding') contentEncoding ??= value;
  }
  return { contentType, contentEncoding };
}

/** The upstream agents and timeouts; `close` destroys the agents. */
type Upstream = UpstreamConfig & { close(): void };

function upstreamConfig(options: RecorderOptions): Upstream {
  const timeoutMs = options.upstreamTimeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS;
  const httpAgent = upstreamHttpAgent({ keepAlive: true });
  let httpsAgent: https.Agent | undefined;
  return {
    httpAgent,
    // Made on the first HTTPS request, with one secure context for every upstream connection:
    // parsing a large CA list costs ~50 ms, which a recording without HTTPS need not pay at start.
    get httpsAgent() {
      httpsAgent ??= upstreamHttpsAgent({
        keepAlive: true,
        ...upstreamSecureContext(options.upstreamCaPems ?? []),
        ...(options.insecureUpstream ? { rejectUnauthorized: false } : {}),
      });
      return httpsAgent;
    },
    timeoutMs,
    connectTimeoutMs: options.connectTimeoutMs ?? timeoutMs,
    close: () => {
      httpAgent.destroy();
      httpsAgent?.destroy();
    },
  };
}

/** Node's roots plus the extra CAs, once each; none extra: Node's default store. */
function upstreamSecureContext(pems: string[]): { secureContext?: SecureContext } {
  const ca = upstreamCaList(pems);
  return ca ? { secureContext: createSecureContext({ ca }) } : {};
}

export async function startRecorder(options: RecorderOptions): Promise<Recorder> {
  const wanted = [{ label: DEFAULT_LISTENER, port: options.port }, ...options.listeners];
  await checkListenersFree(options.host, wanted);
  const ca = await ensureCa(options.caDir);
  const writer = CaptureWriter.open(options.capturePath);
  const session = new RecordingSession(options, writer);
  try {
    for (const { label, port } of wanted) {
      session.proxies.push(
        await startProxyListener({
          label,
          host: options.host,
          port,
          caDir: options.caDir,
          onExchange: (ex) => session.accept(ex),
          onWarning: (message) => options.onWarning?.(message),
        }),
      );
    }
    session.writeHeader(session.proxies.map((p) => p.listener));
  } catch (err) {
    await session.closeListeners();
    writer.close();
    if (err instanceof UserError) throw err;
    const e = err as NodeJS.ErrnoException;
    throw new UserError(`cannot listen on ${options.host} (${e.code ?? e.message})`);
  }
  return session.handle(ca.certPath);
}

class RecordingSession {
  readonly proxies: ProxyListener[] = [];
  private seq = 0;
  private written = 0;
  /** Exchanges that reached the recorder but are not in the capture (its file failed). */
  private lost = 0;
  private bytes = 0;
  private stopping = false;
  private fatal: UserError | null = null;
  private signalFatal: () => void = () => undefined;
  private readonly whenFailed = new Promise<void>((resolve) => {
    this.signalFatal = resolve;
  });
  private readonly inFlight = new InFlightList<ExchangeTracker>();
  /** Upstreams whose failure the user was already told how to fix (once per host). */
  private readonly advised = new Set<string>();
  private readonly pending = new Set<Promise<void>>();
  private readonly now = makeClock();
  private readonly upstream: Upstream;
  private readonly trackerContext: TrackerContext;

  constructor(
    private readonly options: RecorderOptions,
    private readonly writer: CaptureWriter,
  ) {
    this.upstream = upstreamConfig(options);
    // Records reach the file a turn after they are queued: a failure then loses the batch.
    writer.onFailure = (error, lostExchanges) => {
      this.written -= lostExchanges;
      this.lost += lostExchanges;
      this.fail(error);
    };
    const relativeTo = dirname(resolve(options.capturePath));
    this.trackerContext = {
      now: this.now,
      // Two per exchange: a plain literal, as the records are (a spread followed by fields is V8's slow path).
      bodyRecorder: (headers) => {
        const { contentType, contentEncoding } = bodyHeaders(headers);
        return new BodyRecorder({ limitBytes: options.bodyLimitBytes, contentType, contentEncoding, bodiesDir: options.bodiesDir, relativeTo });
      },
      countBytes: (n, side) => {
        this.bytes += n;
        relayed(n, side); // every relayed body chunk passes here once
      },
      settled: (tracker, record) => this.settled(tracker, record),
    };
  }

  writeHeader(listeners: Listener[]): void {
    this.writer.write({
      type: 'header',
      formatVersion: FORMAT_VERSION,
      flowscribeVersion: flowscribeVersion(),
      argv: this.options.header.argv,
      ...(this.options.header.executable ? { executable: this.options.header.executable } : {}),
      cwd: this.options.header.cwd,
      startedAt: new Date().toISOString(),
      environment: this.options.header.environment,
      listeners,
      ...(this.options.header.upstreamTls ? { upstreamTls: this.options.header.upstreamTls } : {}),
      // Names the recorder when captures of several hosts are merged (`flowscribe merge`).
      hostname: hostname(),
    });
    this.writer.flush(); // an unwritable capture stops the start, before any traffic
  }

  accept(ex: IncomingExchange): void {
    if (this.stopping || this.fatal) {
      if (this.fatal) this.lost += 1;
      ex.clientResponse.destroy();
      return;
    }
    this.seq += 1;
    const resolveSource = this.options.resolveSource ?? defaultSource;
    const tracker = new ExchangeTracker(this.seq, resolveSource(ex.connection), ex, this.trackerContext);
    this.inFlight.add(tracker);
    forward(ex, tracker, this.upstream);
  }

  private settled(tracker: ExchangeTracker, record: ExchangeRecord | Promise<ExchangeRecord>): void {
    this.inFlight.delete(tracker);
    if (!(record instanceof Promise)) return this.append(record);
    const done = record.then(
      (r) => this.append(r),
      (err: Error) => {
        this.lost += 1;
        this.fail(new UserError(`${this.writer.path}: cannot record exchange ${tracker.seq} (${err.message})`));
      },
    );
    this.pending.add(done);
    void done.finally(() => this.pending.delete(done));
  }

  private append(record: ExchangeRecord): void {
    if (this.fatal) {
      this.lost += 1;
      return;
    }
    try {
      this.writer.write(record);
    } catch (err) {
      this.lost += 1;
      this.fail(err as UserError);
      return;
    }
    this.written += 1;
    this.options.onExchange?.(record);
    if (record.state === 'failed') this.advise(record.request.url, record.error.code, record.error.message);
  }

  /** One stderr line per upstream host for a failure a flag fixes (the capture has the details). */
  private advise(url: string, code: string, message: string): void {
    const host = new URL(url).host;
    const advice = upstreamAdvice(code, message, host);
    if (advice === null || this.advised.has(host)) return;
    this.advised.add(host);
    this.options.onWarning?.(advice);
  }

  /** A record could not be written: stop passing traffic at once rather than lose it silently. */
  private fail(error: UserError): void {
    if (this.fatal) return;
    this.fatal = error;
    void this.closeListeners();
    this.options.onFatal?.(error);
    this.signalFatal();
  }

  /** The error `stop()` ends with after a failure: what broke, and how much is missing. */
  private failureReport(fatal: UserError): UserError {
    const lost = `${this.lost} ${this.lost === 1 ? 'exchange' : 'exchanges'} could not be recorded`;
    const kept = `the capture ends after the ${this.written} recorded before, without a trailer`;
    return new UserError(`${fatal.message}: ${lost}; ${kept}`, 1, 'free some space or choose another file with -o FILE, then run again');
  }

  async closeListeners(): Promise<void> {
    await Promise.all(this.proxies.map((p) => p.close()));
  }

  /** Leaf keys made during the run get 0600 too (best effort: their directory is already 0700). */
  private restrictCaPermissions(): void {
    try {
      restrictPermissions(this.options.caDir);
    } catch (err) {
      this.options.onWarning?.(`CA directory ${this.options.caDir}: ${(err as Error).message}`);
    }
  }

  handle(caCertPath: string): Recorder {
    return {
      listeners: this.proxies.map((p) => p.listener),
      caCertPath,
      exchangeCount: () => this.written,
      failed: this.whenFailed,
      bytesSeen: () => this.bytes,
      stop: (end) => this.stop(end),
    };
  }

  private async stop(end: Parameters<Recorder['stop']>[0]): Promise<void> {
    if (this.stopping) throw new Error('recorder already stopped');
    this.stopping = true;
    for (const tracker of this.inFlight.values()) tracker.interrupt();
    await this.closeListeners();
    await Promise.all([...this.pending]);
    this.restrictCaPermissions();
    if (!this.fatal) {
      try {
        this.writer.flush(); // the trailer counts only exchanges the file took
        this.writer.write({ type: 'trailer', endedAt: new Date().toISOString(), exit: end.exit, stdout: end.stdout, exchangeCount: this.written });
        this.writer.flush();
      } catch (err) {
        this.fatal = err as UserError;
      }
    }
    this.upstream.close();
    this.writer.close();
    if (this.fatal) throw this.failureReport(this.fatal);
  }
}
