/**
 * The only module that uses http-mitm-proxy (`mitm-library.ts` loads it). It accepts client
 * connections (plain HTTP in absolute form, HTTPS through CONNECT with leaf certificates from our
 * CA) and hands each request to the caller as plain Node objects plus typed facts (wire-order
 * headers, absolute URL, who connected). Forwarding is done by the caller (`forwarder.ts`), not by
 * http-mitm-proxy: its own path re-serialises headers from a lower-cased object, drops the reason
 * phrase, forces chunked responses once a data hook exists, and has no backpressure.
 */
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { Socket as NetSocket, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { readFile } from 'node:fs/promises';
import type { IContext } from 'http-mitm-proxy';
import type { Listener, RawHeaders } from '../../model/exchange.js';
import type { ConnectionInfo } from '../recorder-types.js';
import { silenceLibraryConsole } from './library-console.js';
import { leafKeys, MitmProxy } from './mitm-library.js';
import { storedLeafUsable } from './ca.js';

/** Where a request goes, as the client asked for it. */
export interface RequestTarget {
  isTls: boolean;
  host: string;
  port: number;
  /** Path and query (origin form). */
  path: string;
}

/** One client request as the proxy received it, before anything was forwarded. */
export interface IncomingExchange {
  listenerLabel: string;
  method: string;
  /** Absolute URL (`http://host:port/path`, `https://...` for CONNECT-tunnelled requests). */
  url: string;
  httpVersion: string;
  /** The client's headers in wire order and case, without the `Proxy-*` ones meant for us. */
  headers: RawHeaders;
  target: RequestTarget;
  connection: ConnectionInfo;
  /** The client's own TCP connection (for HTTPS, the CONNECT tunnel's, not our internal TLS socket). */
  clientSocket: Socket;
  /** The client's request stream (paused) and our response to it. */
  clientRequest: IncomingMessage;
  clientResponse: ServerResponse;
}

export interface ProxyListenerOptions {
  label: string;
  host: string;
  port: number;
  caDir: string;
  onExchange: (exchange: IncomingExchange) => void;
  /** Problems outside any exchange (e.g. a client rejecting our certificate). */
  onWarning: (message: string) => void;
}

export interface ProxyListener {
  listener: Listener;
  /** Stops accepting, destroys open connections (ours and the tunnels'), resolves when all servers closed. */
  close(): Promise<void>;
}

/** Flat `rawHeaders` (`[n1, v1, n2, v2]`) → `[name, value]` pairs, order and case kept; names matching `skip` left out. */
export function pairHeaders(flat: string[], skip?: RegExp): RawHeaders {
  const pairs: RawHeaders = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const name = flat[i] as string;
    if (!skip?.test(name)) pairs.push([name, flat[i + 1] as string]);
  }
  return pairs;
}

/** What the library learnt of a request before handing it on (its host and port parsed). */
interface Arrival {
  isTls: boolean;
  /** Null when the library's `url.parse` finds no hostname in an odd Host value (its typing says string). */
  host: string | null;
  /** Absent or not a number when the client named none that parses. */
  port: number | undefined;
  req: IncomingMessage;
  res: ServerResponse;
  /** The CONNECT request whose tunnel carries an HTTPS request. */
  connectRequest: IncomingMessage | undefined;
}

const ignoreError = (): void => undefined;

/** http-mitm-proxy without its console output and without its own 504 error answers. */
class QuietProxy extends MitmProxy {
  warn: (message: string) => void = () => undefined;
  /** Set while `listen` is pending: the library reports a failed bind only here, never to its callback. */
  listenFailed: ((err: Error) => void) | null = null;
  /** Every per-host TLS server, closed with the proxy (see `hostServers`). */
  readonly tlsServers = new Set<HttpsServer>();

  override _onError(kind: string, ctx: IContext | null, err: Error): void {
    if (this.listenFailed && kind === 'HTTP_SERVER_ERROR') return this.listenFailed(err);
    // Exchange-level errors are handled by the forwarder; the rest only warrant a warning.
    if (!ctx) this.warn(`${kind}: ${err.message}`);
  }

  /** Where each request goes: the forwarder (set by `startProxyListener`). */
  onRequestArrived: (arrival: Arrival) => void = () => undefined;

  /**
   * The library's request entry, minus the parts we do not use: it built a context with a UUID,
   * ~20 closures and a lower-cased header copy per request, then called our one request hook
   * through its async module's iteration. What we keep is what that path did before our hook: no-op
   * error listeners on both streams (its `_onError` with a context only reported to hooks we do not
   * have), the paused request, its host/port parsing (which reduces an absolute URL to its path)
   * and its 400 answer to a request without a host.
   */
  override _onHttpServerRequest(isSSL: boolean, req: IncomingMessage, res: ServerResponse): void {
    req.on('error', ignoreError);
    res.on('error', ignoreError);
    req.pause();
    const hostPort = MitmProxy.parseHostAndPort(req, isSSL ? 443 : 80);
    if (hostPort === null) {
      req.resume();
      res.writeHead(400, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end('Bad request: Host missing...', 'utf-8');
      return;
    }
    // Tunnelled requests (TLS, or plain HTTP over the library's loopback hop) name their CONNECT by the socket's ports.
    const connectRequest = this.connectRequests[`${req.socket.remotePort}:${req.socket.localPort}`];
    this.onRequestArrived({ isTls: isSSL, host: hostPort.host, port: hostPort.port, req, res, connectRequest });
  }

  /**
   * Per-host TLS servers that never listen. The library connects each CONNECT tunnel to a per-host
   * server over a second loopback TCP connection and pipes the two: every byte of every HTTPS
   * exchange crossed the kernel twice more. Handing the tunnel's socket to the TLS server
   * in-process (as tls.Server does with the sockets it accepts) removes that hop. One promise per
   * host: concurrent first CONNECTs wait for the same key (generating one is seconds of blocking
   * RSA work, enough for clients to time out if done per CONNECT).
   */
  private readonly hostServers = new Map<string, Promise<HttpsServer>>();

  override _onHttpServerConnectData(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const isTls = head[0] === 0x16 || head[0] === 0x80 || head[0] === 0x00;
    // Plain HTTP inside a tunnel is rare: the library's path (a loopback hop) serves it.
    if (!isTls || !(socket instanceof NetSocket)) return super._onHttpServerConnectData(req, socket, head);
    socket.pause();
    const hostname = (req.url ?? '').split(':', 2)[0] ?? '';
    this.hostServer(hostname).then(
      (server) => this.handOver(server, req, socket, head),
      (err: Error) => {
        this.warn(`cannot serve TLS for ${hostname}: ${err.message}`);
        socket.destroy();
      },
    );
  }

  private handOver(server: HttpsServer, req: IncomingMessage, socket: NetSocket, head: Buffer): void {
    if (socket.destroyed) return;
    // The library finds the CONNECT request of an exchange by the client socket's ports.
    const key = `${socket.remotePort}:${socket.localPort}`;
    this.connectRequests[key] = req;
    socket.once('close', () => delete this.connectRequests[key]);
    socket.unshift(head); // the TLS socket reads what is already buffered first
    server.emit('connection', socket);
  }

  private hostServer(hostname: string): Promise<HttpsServer> {
    let server = this.hostServers.get(hostname);
    if (!server) {
      server = this.leafCertificate(hostname).then((files) => this.createHostServer(files));
      // A failure is not cached: the next CONNECT tries again.
      server.catch(() => this.hostServers.delete(hostname));
      this.hostServers.set(hostname, server);
    }
    return server;
  }

  /** The host's leaf key and certificate: from the CA directory, else generated once (the CA stores them there). */
  private async leafCertificate(hostname: string): Promise<{ key: Buffer | string; cert: Buffer | string }> {
    try {
      const [key, cert] = await Promise.all([readFile(`${this.sslCaDir}/keys/${hostname}.key`), readFile(`${this.sslCaDir}/certs/${hostname}.pem`)]);
      if (storedLeafUsable(this.sslCaDir, key, cert)) return { key, cert };
    } catch {
      // None stored yet.
    }
    return leafKeys(this.ca, hostname);
  }

  private createHostServer(leaf: { key: Buffer | string; cert: Buffer | string }): HttpsServer {
    const server = createHttpsServer(leaf);
    server.on('error', (err: Error) => this._onError('HTTPS_SERVER_ERROR', null, err));
    server.on('clientError', (err: Error) => this._onError('HTTPS_CLIENT_ERROR', null, err));
    server.on('request', (request: IncomingMessage, response: ServerResponse) => this._onHttpServerRequest(true, request, response));
    tuneServer(server);
    this.tlsServers.add(server);
    return server;
  }

}

/** How long the recorder keeps an idle client connection open (clients close theirs much sooner). */
const CLIENT_IDLE_MS = 10 * 60_000;

/**
 * Server settings for every listener (the per-host TLS servers too). Node's 5-minute whole-request
 * timeout would cut long uploads (big images) short. Nagle is
 * switched off on every accepted socket (the per-host TLS servers' too) so that a response's last
 * small write is not held back waiting for an ACK.
 */
function tuneServer(server: HttpServer | HttpsServer): void {
  server.requestTimeout = 0;
  // Node closes a keep-alive connection idle for 5 s; a client that sends its next request just
  // then (or whose request waits in our buffer while this process is busy) gets ECONNRESET and the
  // request is never seen. The client, not the recorder, decides when an idle connection ends.
  server.keepAliveTimeout = CLIENT_IDLE_MS;
  // `Expect: 100-continue` is the upstream's to answer (100 or a final status), not Node's.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => server.emit('request', req, res));
  server.on('connection', (socket: Socket) => socket.setNoDelay(true));
}

export function startProxyListener(options: ProxyListenerOptions): Promise<ProxyListener> {
  silenceLibraryConsole();
  const proxy = new QuietProxy();
  proxy.warn = options.onWarning;
  proxy.onRequestArrived = (arrival) => options.onExchange(toIncomingExchange(arrival, options.label));
  return new Promise((resolve, reject) => {
    proxy.listenFailed = reject;
    proxy.listen({ host: options.host, port: options.port, sslCaDir: options.caDir, keepAlive: true }, (err) => {
      proxy.listenFailed = null;
      if (err) return reject(err);
      const server = proxy.httpServer as HttpServer;
      tuneServer(server);
      // CONNECT sockets are hijacked from the HTTP server, so closeAllConnections() misses them.
      const sockets = new Set<Socket>();
      server.on('connection', (socket: Socket) => {
        sockets.add(socket);
        socket.once('close', () => sockets.delete(socket));
      });
      const listener: Listener = { label: options.label, host: options.host, port: proxy.httpPort };
      resolve({ listener, close: () => closeProxy(proxy, sockets) });
    });
  });
}

function toIncomingExchange(arrival: Arrival, label: string): IncomingExchange {
  const { req, isTls } = arrival;
  const target = targetOf(arrival);
  const defaultPort = isTls ? 443 : 80;
  const authority = target.port === defaultPort ? target.host : `${target.host}:${target.port}`;
  // Behind CONNECT the socket is our internal tunnel; the client is the CONNECT request's peer.
  const clientSocket = arrival.connectRequest?.socket ?? req.socket;
  const userAgent = req.headers['user-agent'];
  return {
    listenerLabel: label,
    method: req.method ?? 'GET',
    url: `${isTls ? 'https' : 'http'}://${authority}${target.path}`,
    httpVersion: req.httpVersion,
    headers: pairHeaders(req.rawHeaders, PROXY_HEADER),
    target,
    connection: {
      listenerLabel: label,
      remoteAddress: clientSocket.remoteAddress ?? '',
      remotePort: clientSocket.remotePort ?? 0,
      localPort: clientSocket.localPort ?? 0,
      userAgent: typeof userAgent === 'string' ? userAgent : null,
      identity: clientSocket,
    },
    clientSocket,
    clientRequest: req,
    clientResponse: arrival.res,
  };
}

/** The client's `Proxy-*` headers: meant for us, not passed on. */
const PROXY_HEADER = /^proxy-/i;

function targetOf(arrival: Arrival): RequestTarget {
  // The library's parsing has already reduced an absolute-form URL to its path.
  const { isTls } = arrival;
  const port = Number(arrival.port) || (isTls ? 443 : 80);
  return { isTls, host: arrival.host ?? 'localhost', port, path: arrival.req.url ?? '/' };
}

function serversOf(proxy: QuietProxy): Array<HttpServer | HttpsServer> {
  const servers = new Set<HttpServer | HttpsServer>(proxy.tlsServers);
  if (proxy.httpServer) servers.add(proxy.httpServer);
  return [...servers];
}

/** How long a connection still sending an answer may take to flush it when the proxy closes. */
const FLUSH_GRACE_MS = 500;

/**
 * Destroys a client connection, but lets bytes already written to it (an answer whose record is
 * being written) leave first: destroy() alone drops what is still buffered in the socket.
 */
function closeSocket(socket: Socket): Promise<void> {
  if (socket.destroyed) return Promise.resolve();
  if (socket.writableLength === 0) {
    socket.destroy();
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => socket.destroy(), FLUSH_GRACE_MS);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.end(() => socket.destroy());
  });
}

async function closeProxy(proxy: QuietProxy, sockets: Set<Socket>): Promise<void> {
  const servers = serversOf(proxy);
  await Promise.all([...sockets].map(closeSocket));
  await Promise.all(
    servers.map(
      (server) =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    ),
  );
}
