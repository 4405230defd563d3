/** Big bodies without big memory: a repeating random pattern, throttled readers, proxied requests. */
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Socket } from 'node:net';

export const MiB = 1024 * 1024;
const PATTERN = randomBytes(MiB);

/** A readable of `size` bytes (the random pattern repeated) that honours backpressure. */
export function patternStream(size: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= size) return void this.push(null);
      const n = Math.min(PATTERN.length, size - sent);
      sent += n;
      this.push(PATTERN.subarray(0, n));
    },
  });
}

/** SHA-256 of `patternStream(size)`, computed without holding it. */
export function patternSha256(size: number): string {
  const hash = createHash('sha256');
  for (let sent = 0; sent < size; sent += PATTERN.length) hash.update(PATTERN.subarray(0, Math.min(PATTERN.length, size - sent)));
  return hash.digest('hex');
}

/** Reads `stream` at about `bytesPerSecond` (pausing when ahead); resolves to size and SHA-256. */
export function readThrottled(stream: Readable, bytesPerSecond: number): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  const start = Date.now();
  let size = 0;
  return new Promise((resolve, reject) => {
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      hash.update(chunk);
      const ahead = (size / bytesPerSecond) * 1000 - (Date.now() - start);
      if (ahead > 5) {
        stream.pause();
        setTimeout(() => stream.resume(), ahead);
      }
    });
    stream.once('end', () => resolve({ size, sha256: hash.digest('hex') }));
    stream.once('error', reject);
  });
}

function connectTunnel(proxyPort: number, authority: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: proxyPort, method: 'CONNECT', path: authority, agent: false });
    req.once('connect', (res, socket) => (res.statusCode === 200 ? resolve(socket) : reject(new Error(`CONNECT ${res.statusCode}`))));
    req.once('error', reject);
    req.end();
  });
}

/** A request to `url` through the proxy: absolute form for http, CONNECT + TLS (trusting `caPem`) for https. */
export async function proxiedRequest(
  proxyPort: number,
  url: string,
  options: { method: string; headers?: Record<string, string | number>; caPem: string },
): Promise<http.ClientRequest> {
  const target = new URL(url);
  const headers = { Host: target.host, ...options.headers };
  if (target.protocol === 'http:') {
    return http.request({ host: '127.0.0.1', port: proxyPort, method: options.method, path: target.href, headers, agent: false });
  }
  const socket = await connectTunnel(proxyPort, target.host);
  return https.request({
    method: options.method,
    path: target.pathname + target.search,
    headers,
    // No `agent`: only then does Node use createConnection (our tunnel).
    createConnection: () => tls.connect({ socket, ca: options.caPem, host: target.hostname }),
  });
}
