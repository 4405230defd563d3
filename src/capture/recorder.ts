/**
 * The recorder: listeners (http-mitm-proxy via `proxy.ts`), forwarding (`forwarder.ts`), one
 * `ExchangeTracker` per request and the capture file (`capture-writer.ts`). See
 * `recorder-types.ts` for the contract with the command side.
 */
import { rootCertificates } from 'node:tls';
import { dirname, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { UserError } from '../errors.js';
import { FORMAT_VERSION, type ExchangeRecord, type Instant, type Listener, type Source } from '../model/exchange.js';
import { BodyRecorder } from './body-recorder.js';
import { ensureCa, restrictPermissions } from './ca.js';
import { CaptureWriter } from './capture-writer.js';
import { ExchangeTracker, type TrackerContext } from './exchange-tracker.js';
import { forward, type UpstreamConfig } from './forwarder.js';
import { checkListenersFree } from './port-check.js';
import { upstreamHttpAgent, upstreamHttpsAgent } from './upstream-agents.js';
import { startProxyListener, type IncomingExchange, type ProxyListener } from './proxy.js';
import type { ConnectionInfo, Recorder, RecorderOptions } from './recorder-types.js';

/** Default idle timeout towards upstreams (no bytes either way): then the client gets 504. */
export const DEFAULT_UPSTREAM_TIMEOUT_MS = 120_000;

function flowscribeVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Listener label, else User-Agent: what can be known without looking at processes. */
export function defaultSource(connection: ConnectionInfo): Source {
  if (connection.listenerLabel !== 'default') return { kind: 'listener', label: connection.listenerLabel };
  if (connection.userAgent) return { kind: 'user-agent', userAgent: connection.userAgent };
  return { kind: 'unknown' };
}

function makeClock(): () => Instant {
  const origin = process.hrtime.bigint();
  return () => ({ at: new Date().toISOString(), ns: Number(process.hrtime.bigint() - origin) });
}

function headerValue(headers: Array<[string, string]>, name: string): string | null {
  const found = headers.find(([n]) => n.toLowerCase() === name);
  return found ? found[1] : null;
}

function upstreamConfig(options: RecorderOptions): UpstreamConfig {
  const ca = options.upstreamCaPems?.length ? [...rootCertificates, ...options.upstreamCaPems] : undefined;
  return {
    httpAgent: upstreamHttpAgent({ keepAlive: true }),
    httpsAgent: upstreamHttpsAgent({ keepAlive: true, ...(ca ? { ca } : {}) }),
    timeoutMs: options.upstreamTimeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS,
  };
}

export async function startRecorder(options: RecorderOptions): Promise<Recorder> {
  const wanted = [{ label: 'default', port: options.port }, ...options.listeners];
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
  private bytes = 0;
  private stopping = false;
  private fatal: UserError | null = null;
  private readonly inFlight = new Set<ExchangeTracker>();
  private readonly pending = new Set<Promise<void>>();
  private readonly now = makeClock();
  private readonly upstream: UpstreamConfig;
  private readonly trackerContext: TrackerContext;

  constructor(
    private readonly options: RecorderOptions,
    private readonly writer: CaptureWriter,
  ) {
    this.upstream = upstreamConfig(options);
    const relativeTo = dirname(resolve(options.capturePath));
    this.trackerContext = {
      now: this.now,
      bodyRecorder: (headers) =>
        new BodyRecorder({
          limitBytes: options.bodyLimitBytes,
          contentType: headerValue(headers, 'content-type'),
          contentEncoding: headerValue(headers, 'content-encoding'),
          bodiesDir: options.bodiesDir,
          relativeTo,
        }),
      countBytes: (n) => {
        this.bytes += n;
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
      cwd: this.options.header.cwd,
      startedAt: new Date().toISOString(),
      environment: this.options.header.environment,
      listeners,
    });
  }

  accept(ex: IncomingExchange): void {
    if (this.stopping || this.fatal) {
      ex.clientResponse.destroy();
      return;
    }
    this.seq += 1;
    const resolveSource = this.options.resolveSource ?? defaultSource;
    const tracker = new ExchangeTracker(this.seq, resolveSource(ex.connection), ex, this.trackerContext);
    this.inFlight.add(tracker);
    forward(ex, tracker, this.upstream);
  }

  private settled(tracker: ExchangeTracker, record: Promise<ExchangeRecord>): void {
    this.inFlight.delete(tracker);
    const done = record.then(
      (r) => this.append(r),
      (err: Error) => this.fail(new UserError(`${this.writer.path}: cannot record exchange ${tracker.seq} (${err.message})`)),
    );
    this.pending.add(done);
    void done.finally(() => this.pending.delete(done));
  }

  private append(record: ExchangeRecord): void {
    if (this.fatal) return;
    try {
      this.writer.write(record);
    } catch (err) {
      this.fail(err as UserError);
      return;
    }
    this.written += 1;
    this.options.onExchange?.(record);
  }

  /** A record could not be written: stop passing traffic at once rather than lose it silently. */
  private fail(error: UserError): void {
    if (this.fatal) return;
    this.fatal = error;
    void this.closeListeners();
    this.options.onFatal?.(error);
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
      bytesSeen: () => this.bytes,
      stop: (end) => this.stop(end),
    };
  }

  private async stop(end: Parameters<Recorder['stop']>[0]): Promise<void> {
    if (this.stopping) throw new Error('recorder already stopped');
    this.stopping = true;
    for (const tracker of [...this.inFlight]) tracker.interrupt();
    await this.closeListeners();
    await Promise.all([...this.pending]);
    this.restrictCaPermissions();
    if (!this.fatal) {
      try {
        this.writer.write({ type: 'trailer', endedAt: new Date().toISOString(), exit: end.exit, stdout: end.stdout, exchangeCount: this.written });
      } catch (err) {
        this.fatal = err as UserError;
      }
    }
    this.upstream.httpAgent.destroy();
    this.upstream.httpsAgent.destroy();
    this.writer.close();
    if (this.fatal) throw this.fatal;
  }
}
