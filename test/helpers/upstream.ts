/** Real loopback upstream servers (HTTP or HTTPS) that remember exactly what they received. */
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { RawHeaders } from '../../src/model/exchange.js';

const TLS_DIR = new URL('../fixtures/tls/', import.meta.url);
/** PEM of the test upstreams' self-signed certificate. */
export const UPSTREAM_CERT = readFileSync(new URL('upstream.pem', TLS_DIR), 'utf8');
const UPSTREAM_KEY = readFileSync(new URL('upstream.key', TLS_DIR), 'utf8');

export interface SeenRequest {
  method: string;
  /** Request target as received (origin form). */
  path: string;
  httpVersion: string;
  headers: RawHeaders;
  body: Buffer;
}

/** A plain or TLS (test certificate) server around `listener`, not yet listening. */
export function createUpstreamServer(tls: boolean, listener: http.RequestListener): http.Server {
  return tls ? https.createServer({ cert: UPSTREAM_CERT, key: UPSTREAM_KEY }, listener) : http.createServer(listener);
}

export type Handler = (req: SeenRequest, res: http.ServerResponse) => void;

export interface Upstream {
  port: number;
  /** `http://127.0.0.1:PORT` or `https://...` */
  origin: string;
  seen: SeenRequest[];
  server: http.Server;
  close(): Promise<void>;
}

export function pairs(flat: string[]): RawHeaders {
  const out: RawHeaders = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i] as string, flat[i + 1] as string]);
  return out;
}

/** Starts a server on 127.0.0.1:0 that reads each whole request body, then calls `handler`. */
export async function startUpstream(handler: Handler, options: { tls?: boolean } = {}): Promise<Upstream> {
  const seen: SeenRequest[] = [];
  const listener = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: SeenRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        httpVersion: req.httpVersion,
        headers: pairs(req.rawHeaders),
        body: Buffer.concat(chunks),
      };
      seen.push(r);
      handler(r, res);
    });
  };
  const server = createUpstreamServer(options.tls ?? false, listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    origin: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    seen,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
