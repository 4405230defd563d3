/**
 * Loopback servers with awkward but legal HTTP behaviours (early final responses, 1xx, trailers,
 * close-delimited bodies, resets...) for the differential harness. Each server counts what it
 * got: requests, TCP connections, request body bytes read, so "direct" and "through the recorder"
 * can be compared from the server's side too.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { UPSTREAM_CERT } from './upstream.js';
import { readFileSync } from 'node:fs';

const UPSTREAM_KEY = readFileSync(new URL('../fixtures/tls/upstream.key', import.meta.url), 'utf8');

export interface ServerCounts {
  requests: number;
  connections: number;
  /** Request body bytes the server read (all requests). */
  bodyBytes: number;
  /** Request trailers as received, `name: value` (all requests). */
  trailers: string[];
}

export type BehaviourHandler = (req: IncomingMessage, res: ServerResponse, counts: ServerCounts) => void;

export interface BehaviourServer {
  origin: string;
  counts: ServerCounts;
  close(): Promise<void>;
}

/** Reads the request body (counting it) and calls `then` at its end. */
export function readBody(req: IncomingMessage, counts: ServerCounts, then: () => void): void {
  req.on('data', (c: Buffer) => (counts.bodyBytes += c.length));
  req.once('end', () => {
    for (let i = 0; i + 1 < req.rawTrailers.length; i += 2) counts.trailers.push(`${req.rawTrailers[i]}: ${req.rawTrailers[i + 1]}`);
    then();
  });
}

/** Starts `handler` on 127.0.0.1:0 (plain or TLS with the test certificate). */
export async function startBehaviourServer(handler: BehaviourHandler, tls: boolean, keepAliveMs?: number): Promise<BehaviourServer> {
  const counts: ServerCounts = { requests: 0, connections: 0, bodyBytes: 0, trailers: [] };
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    counts.requests += 1;
    handler(req, res, counts);
  };
  const server = tls ? https.createServer({ cert: UPSTREAM_CERT, key: UPSTREAM_KEY }) : http.createServer();
  if (keepAliveMs) server.keepAliveTimeout = keepAliveMs;
  server.on('request', onRequest);
  // With a listener, Node leaves `Expect: 100-continue` to the handler instead of answering 100 itself.
  server.on('checkContinue', onRequest);
  const sockets = new Set<Socket>();
  server.on(tls ? 'secureConnection' : 'connection', (socket: Socket) => {
    counts.connections += 1;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
