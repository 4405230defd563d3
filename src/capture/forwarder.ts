/**
 * Forwards one client request upstream and the answer back, chunk by chunk, with backpressure in
 * both directions (a slow peer pauses the other side, so memory stays bounded), telling an
 * observer what crossed the wire. Exactly one of `responseEnded`, `failed`, `aborted` is reported.
 */
import http, { type ClientRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { Readable, Writable } from 'node:stream';
import type { RawHeaders, TransportError } from '../model/exchange.js';
import type { IncomingExchange } from './proxy.js';
import { pairHeaders } from './proxy.js';

/** Something that records a body as it passes; `write` returns false to ask for a pause. */
export interface BodyTap {
  write(chunk: Buffer): boolean;
  onceDrained(fn: () => void): void;
}

export interface ResponseHead {
  statusCode: number;
  statusMessage: string;
  httpVersion: string;
  headers: RawHeaders;
}

export interface ExchangeObserver {
  requestBody: BodyTap;
  /** The last request byte arrived from the client. */
  requestEnded(): void;
  /** The upstream's response head arrived; returns the tap for its body. */
  responseStarted(head: ResponseHead): BodyTap;
  /** The last response byte was handed to the client. */
  responseEnded(): void;
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

/** Headers a proxy must not pass on: they describe one connection, not the message. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade', 'trailer']);

function flatten(headers: RawHeaders): string[] {
  return headers.flatMap(([name, value]) => [name, value]);
}

/** The upstream response's headers as we pass them to the client (Node frames the body itself). */
function clientFacingHeaders(headers: RawHeaders): string[] {
  const named = new Set<string>();
  for (const [name, value] of headers) {
    if (name.toLowerCase() === 'connection') for (const token of value.split(',')) named.add(token.trim().toLowerCase());
  }
  return flatten(headers.filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase()) && !named.has(name.toLowerCase())));
}

/**
 * Copies `src` into the current `dst()` through `tap`, pausing `src` while either of them is full.
 * `dst` is a getter because a request retried on a fresh upstream socket changes its destination.
 */
function relay(src: Readable, dst: () => Writable, tap: BodyTap): void {
  src.on('data', (chunk: Buffer) => {
    const target = dst();
    const tapOk = tap.write(chunk);
    const dstOk = target.write(chunk);
    if (tapOk && dstOk) return;
    src.pause();
    let waiting = (tapOk ? 0 : 1) + (dstOk ? 0 : 1);
    const resume = (): void => {
      if (--waiting === 0) src.resume();
    };
    if (!tapOk) tap.onceDrained(resume);
    if (!dstOk) target.once('drain', resume);
  });
  src.resume();
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
function limitConnect(up: ClientRequest, isTls: boolean, host: string, port: number, ms: number): void {
  up.once('socket', (socket) => {
    if (up.reusedSocket) return;
    const timer = setTimeout(() => {
      const err: NodeJS.ErrnoException = new Error(`cannot connect${isTls ? ' (TLS)' : ''} to ${host}:${port} within ${ms / 1000} s`);
      err.code = 'ETIMEDOUT';
      up.destroy(err);
    }, ms);
    const done = (): void => clearTimeout(timer);
    socket.once(isTls ? 'secureConnect' : 'connect', done);
    socket.once('close', done);
  });
}

/** Errors after which a request on a reused keep-alive socket is sent once more (the server closed it). */
const STALE_SOCKET = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

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
  private retried = false;

  constructor(
    private readonly ex: IncomingExchange,
    private readonly observer: ExchangeObserver,
    private readonly upstream: UpstreamConfig,
  ) {
    this.req = ex.clientRequest;
    this.res = ex.clientResponse;
  }

  start(): void {
    this.up = this.sendUpstream();
    this.res.once('close', () => this.clientClosed());
    this.relayRequest();
  }

  private settle(report: () => void): void {
    if (this.settled) return;
    this.settled = true;
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
    limitConnect(up, target.isTls, target.host, target.port, upstream.connectTimeoutMs);
    up.on('error', (err: NodeJS.ErrnoException) => this.upstreamError(up, err));
    up.on('response', (resp: IncomingMessage) => this.responseArrived(resp));
    if (this.requestComplete) up.end();
    return up;
  }

  /** Relays the client's body to whichever upstream request is current (a stale socket may force a retry). */
  private relayRequest(): void {
    const { req, observer } = this;
    req.on('data', (chunk: Buffer) => {
      this.requestBytes += chunk.length;
    });
    req.once('end', () => {
      this.requestComplete = true;
      observer.requestEnded();
      this.up.end();
    });
    relay(req, () => this.up, observer.requestBody);
  }

  private upstreamError(up: ClientRequest, err: NodeJS.ErrnoException): void {
    if (up !== this.up || this.settled) return;
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
    } else {
      res.destroy();
    }
    this.req.resume(); // drain whatever the client still sends
    this.settle(() => this.observer.failed(error));
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
      res.destroy();
      this.settle(() => observer.failed(error));
    };
    try {
      res.writeHead(head.statusCode, head.statusMessage, clientFacingHeaders(head.headers));
    } catch (err) {
      // A head Node will not pass on (e.g. an invalid status): contain it to this exchange.
      this.up.destroy();
      return broke({ code: 'EPROTO', message: `cannot pass the upstream's response on: ${(err as Error).message}` });
    }
    resp.once('close', () => {
      if (!resp.complete) broke({ code: 'ECONNRESET', message: 'the upstream closed the connection mid-response' });
    });
    resp.on('error', (err: NodeJS.ErrnoException) => broke(transportError(err)));
    res.once('finish', () => this.settle(() => observer.responseEnded()));
    resp.once('end', () => res.end());
    relay(resp, () => res, tap);
  }
}
