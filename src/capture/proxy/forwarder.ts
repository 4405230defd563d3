/**
 * Forwards one client request upstream and the answer back, chunk by chunk, with backpressure in
 * both directions (a slow peer pauses the other side, so memory stays bounded), telling an
 * observer what crossed the wire. Exactly one of `completed`, `failed`, `aborted` is reported.
 * The client must see what the server did: an early answer to an upload is passed on while the
 * upload goes on as long as the server takes it; a server that stops reading, closes or resets
 * gets the client's connection closed or reset the same way.
 */
import http, { type ClientRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import type { RawHeaders, TransportError } from '../../model/exchange.js';
import type { IncomingExchange } from './listener.js';
import { pairHeaders } from './listener.js';
import { flatten, onceWritable, writeClientHead, writeInformational, type ResponseHead } from './client-framing.js';

export type { ResponseHead } from './client-framing.js';

/** Something that records a body as it passes; `write` returns false to ask for a pause. */
export interface BodyTap {
  write(chunk: Buffer): boolean;
  onceDrained(fn: () => void): void;
}

export interface ExchangeObserver {
  requestBody: BodyTap;
  /** The last request byte arrived from the client. */
  requestEnded(): void;
  /** The upstream's response head arrived; returns the tap for its body. */
  responseStarted(head: ResponseHead): BodyTap;
  /** The last response byte was handed to the client. */
  responseEnded(): void;
  /** Both directions are done (the client's body may have been cut short by an early answer). */
  completed(): void;
  /** The upstream could not be reached (the client got our 502/504) or broke off mid-response. */
  failed(error: TransportError): void;
  /** The client went away first. */
  aborted(error: TransportError): void;
}

export interface UpstreamConfig {
  httpAgent: http.Agent;
  httpsAgent: https.Agent;
  /** Idle time (no bytes either way) after which the upstream is given up with 504. */
  timeoutMs: number;
  /** Time a new connection (TCP connect and TLS handshake) may take before 504. */
  connectTimeoutMs: number;
}

function transportError(err: NodeJS.ErrnoException): TransportError {
  return { code: err.code ?? 'EPROTO', message: err.message };
}

function timeoutError(host: string, port: number, ms: number): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`no data from ${host}:${port} for ${ms / 1000} s`);
  err.code = 'ETIMEDOUT';
  return err;
}

/** Gives a new upstream connection `ms` to connect (and finish its TLS handshake), else fails `up`. */
function limitConnect(up: ClientRequest, socket: Socket, isTls: boolean, host: string, port: number, ms: number): void {
  const timer = setTimeout(() => {
    const err: NodeJS.ErrnoException = new Error(`cannot connect${isTls ? ' (TLS)' : ''} to ${host}:${port} within ${ms / 1000} s`);
    err.code = 'ETIMEDOUT';
    up.destroy(err);
  }, ms);
  const done = (): void => clearTimeout(timer);
  socket.once(isTls ? 'secureConnect' : 'connect', done);
  socket.once('close', done);
}

/** Errors after which a request on a reused keep-alive socket is sent once more (the server closed it). */
const STALE_SOCKET = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/** Bytes a relay lets queue towards a slower peer before it pauses the sender (per direction and exchange). */
const RELAY_BUFFER = 256 * 1024;

/**
 * Copies `src` into the current `dst()` through `tap`, pausing `src` while either of them is full.
 * `dst` is a getter because a request retried on a fresh upstream socket changes its destination.
 */
function relay(src: Readable, dst: () => Writable | null, tap: BodyTap, counted?: (bytes: number) => void): void {
  src.on('data', (chunk: Buffer) => {
    counted?.(chunk.length);
    const target = dst();
    const tapOk = tap.write(chunk);
    // Node's 16 KiB high-water mark would pause the source after every 64 KiB read (a round trip
    // through the event loop per chunk); up to RELAY_BUFFER queued bytes keep both sockets busy.
    const dstOk = target ? target.write(chunk) || target.writableLength < RELAY_BUFFER : true;
    if (tapOk && dstOk) return;
    src.pause();
    let waiting = (tapOk ? 0 : 1) + (dstOk ? 0 : 1);
    const resume = (): void => {
      if (--waiting === 0) src.resume();
    };
    if (!tapOk) tap.onceDrained(resume);
    if (!dstOk && target) onceWritable(target, resume);
  });
  src.resume();
}

export function forward(ex: IncomingExchange, observer: ExchangeObserver, upstream: UpstreamConfig): void {
  new Forwarding(ex, observer, upstream).start();
}

/** One exchange on its way through: the client's request relayed to `up`, the answer back to the client. */
class Forwarding {
  private readonly req: IncomingMessage;
  private readonly res: ServerResponse;
  private up!: ClientRequest;
  private settled = false;
  private requestBytes = 0;
  private requestComplete = false;
  private responded = false;
  /** The upstream's response arrived whole / was handed to the client whole. */
  private responseComplete = false;
  private responseDone = false;
  /** The upstream stopped taking the client's body after its whole answer (it closed or reset). */
  private upstreamGone = false;
  /** The client closed its connection before sending its whole body (after the whole answer). */
  private clientGone = false;
  /** The upstream's socket ended with a FIN (not a reset). */
  private upstreamFin = false;
  private retried = false;

  constructor(
    private readonly ex: IncomingExchange,
    private readonly observer: ExchangeObserver,
    private readonly upstream: UpstreamConfig,
  ) {
    this.req = ex.clientRequest;
    this.res = ex.clientResponse;
  }

  /** Bound once, so that it can be removed from the (keep-alive) sockets when the exchange settles. */
  private readonly onSocketClose = (): void => this.requestClosed();

  start(): void {
    this.up = this.sendUpstream();
    this.res.on('close', () => this.clientClosed());
    // Behind CONNECT the client's own socket and our internal TLS socket close at different times.
    this.req.socket.once('close', this.onSocketClose);
    if (this.ex.clientSocket !== this.req.socket) this.ex.clientSocket.once('close', this.onSocketClose);
    this.relayRequest();
  }

  private settle(report: () => void): void {
    if (this.settled) return;
    this.settled = true;
    // A keep-alive connection carries many exchanges: each must let go of it, or every earlier
    // exchange stays reachable from the socket until it closes (memory, and listener walks).
    this.req.socket.off('close', this.onSocketClose);
    this.ex.clientSocket.off('close', this.onSocketClose);
    report();
  }

  private sendUpstream(): ClientRequest {
    const { ex, upstream } = this;
    const { target } = ex;
    const headers = ex.headers.some(([n]) => n.toLowerCase() === 'host') ? ex.headers : [['Host', new URL(ex.url).host] as [string, string], ...ex.headers];
    const up = (target.isTls ? https : http).request({
      host: target.host,
      port: target.port,
      method: ex.method,
      path: target.path,
      headers: flatten(headers),
      agent: target.isTls ? upstream.httpsAgent : upstream.httpAgent,
    });
    up.setTimeout(upstream.timeoutMs, () => up.destroy(timeoutError(target.host, target.port, upstream.timeoutMs)));
    up.on('error', (err: NodeJS.ErrnoException) => this.upstreamError(up, err));
    up.on('information', (info) => writeInformational(this.res, this.req.httpVersion, info));
    up.on('response', (resp: IncomingMessage) => this.responseArrived(resp));
    // One listener per event and request ('socket' and 'close' come once per request).
    let upSocket: Socket | null = null;
    const fin = (): void => {
      if (up === this.up) this.upstreamFin = true;
    };
    up.on('socket', (socket: Socket) => {
      upSocket = socket;
      if (!up.reusedSocket) limitConnect(up, socket, target.isTls, target.host, target.port, upstream.connectTimeoutMs);
      socket.once('end', fin);
    });
    up.on('close', () => {
      upSocket?.off('end', fin);
      // The server closed after its whole answer while the body was still coming (no error: we swallow write errors).
      if (up === this.up && this.responseComplete && !this.requestComplete) this.upstreamStopped();
    });
    if (this.requestComplete) this.endUpstream(up);
    return up;
  }

  private endUpstream(up: ClientRequest): void {
    const trailers = pairHeaders(this.req.rawTrailers);
    if (trailers.length) up.addTrailers(trailers);
    up.end();
  }

  /** Relays the client's body to whichever upstream request is current (a stale socket may force a retry). */
  private relayRequest(): void {
    const { req, observer } = this;
    // 'end', like 'close' and 'finish' below, comes once per request and stream: `on` is `once` without its wrapper.
    req.on('end', () => {
      this.requestComplete = true;
      observer.requestEnded();
      if (!this.upstreamGone) this.endUpstream(this.up);
      this.maybeCompleted();
    });
    relay(req, () => (this.upstreamGone ? null : this.up), observer.requestBody, (bytes) => (this.requestBytes += bytes));
  }

  private maybeCompleted(): void {
    if (this.responseDone && (this.requestComplete || this.upstreamGone || this.clientGone)) this.settle(() => this.observer.completed());
  }

  private upstreamError(up: ClientRequest, err: NodeJS.ErrnoException): void {
    if (up !== this.up || this.settled) return;
    if (this.responseComplete) return this.upstreamStopped();
    const retry = up.reusedSocket && !this.responded && !this.retried && this.requestBytes === 0 && STALE_SOCKET.has(err.code ?? '');
    if (retry) {
      this.retried = true;
      this.up = this.sendUpstream();
      return;
    }
    const error = transportError(err);
    const { res, ex } = this;
    if (!res.headersSent && !res.destroyed) {
      const status = error.code === 'ETIMEDOUT' ? 504 : 502;
      const body = `flowscribe: ${ex.target.host}:${ex.target.port}: ${error.code}: ${error.message}\n`;
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
      this.req.resume(); // drain whatever the client still sends
      this.settle(() => this.observer.failed(error));
    } else {
      this.settle(() => this.observer.failed(error));
      this.breakClient();
    }
  }

  /**
   * The upstream closed or reset after its whole answer while the client was still sending: the
   * answer goes on to the client, then the client's connection is closed as the server closed ours.
   */
  private upstreamStopped(): void {
    if (this.requestComplete || this.upstreamGone) return; // nothing left to send: a keep-alive socket closing later is no news
    this.upstreamGone = true;
    this.req.pause();
    const close = (): void => {
      // Half-close after the answer; closing with the client's unread body in the buffer resets,
      // as the server's close did.
      const socket = this.req.socket;
      if (typeof socket.destroySoon === 'function') socket.destroySoon();
      else socket.end();
      this.maybeCompleted();
    };
    if (this.responseDone) close();
    else this.res.once('finish', close);
  }

  /** The upstream broke off mid-response: the client's connection ends the same way (FIN or reset). */
  private breakClient(): void {
    const socket = this.ex.clientSocket;
    if (this.upstreamFin || socket !== this.req.socket) return void this.res.destroy();
    // A reset would throw away response bytes still queued for the client: send those first.
    if (socket.writableLength === 0) socket.resetAndDestroy();
    else socket.once('drain', () => socket.resetAndDestroy());
  }

  private requestClosed(): void {
    if (this.requestComplete || !this.responseDone || this.clientGone) return;
    // The client hung up mid-body after the whole answer (curl does on an early 413): so does the upstream connection.
    this.clientGone = true;
    if (!this.upstreamGone) this.up.destroy();
    this.maybeCompleted();
  }

  private clientClosed(): void {
    if (this.res.writableFinished) return;
    this.up.destroy();
    const message = this.req.complete
      ? 'the client closed the connection before the response was complete'
      : 'the client closed the connection before sending the whole request';
    this.settle(() => this.observer.aborted({ code: 'CLIENT_ABORTED', message }));
  }

  private responseArrived(resp: IncomingMessage): void {
    this.responded = true;
    const { res, observer } = this;
    const head: ResponseHead = {
      statusCode: resp.statusCode ?? 0,
      statusMessage: resp.statusMessage ?? '',
      httpVersion: resp.httpVersion,
      headers: pairHeaders(resp.rawHeaders),
    };
    const tap = observer.responseStarted(head);
    const broke = (error: TransportError): void => {
      if (this.settled) return;
      this.settle(() => observer.failed(error));
      this.breakClient();
    };
    try {
      writeClientHead(res, this.req.httpVersion, head);
    } catch (err) {
      // A head Node will not pass on (e.g. an invalid status): contain it to this exchange.
      this.up.destroy();
      this.res.destroy();
      return this.settle(() => observer.failed({ code: 'EPROTO', message: `cannot pass the upstream's response on: ${(err as Error).message}` }));
    }
    resp.on('close', () => {
      if (!resp.complete) broke({ code: 'ECONNRESET', message: 'the upstream closed the connection mid-response' });
    });
    resp.on('error', (err: NodeJS.ErrnoException) => broke(transportError(err)));
    res.on('finish', () => {
      this.responseDone = true;
      observer.responseEnded();
      this.maybeCompleted();
    });
    resp.on('end', () => {
      this.responseComplete = true;
      const trailers = pairHeaders(resp.rawTrailers);
      if (trailers.length) res.addTrailers(trailers);
      res.end();
    });
    relay(resp, () => res, tap);
  }
}
