#!/usr/bin/env node
// The floor under any recorder built on Node's HTTP stack, for `npm run bench:proxy -- --floor`:
// a minimal forward proxy (absolute-form HTTP; CONNECT with TLS terminated in-process, using the
// upstream's own certificate) that relays with backpressure and SHA-256s every body, and records
// nothing: no capture file, no prefixes, no attribution, no http-mitm-proxy. What it costs is what
// Node's HTTP parser and the kernel cost; what flowscribe costs beyond it is ours.
// Run by bench/proxy.mjs: `node bench/floor-proxy.mjs WORKDIR` prints its port on stdout. bench/lab.mjs runs
// `node bench/floor-proxy.mjs - HOST PORT`: plain HTTP only (no WORKDIR, so no TLS), on the recorder's port.
import http from 'node:http';
import https from 'node:https';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const [work, listenHost = '127.0.0.1', listenPort = '0'] = process.argv.slice(2);
const httpAgent = new http.Agent({ keepAlive: true });
const httpsAgent = new https.Agent({ keepAlive: true, rejectUnauthorized: false });

/** Copies `src` to `dst` with backpressure, hashing every chunk. */
function hashedRelay(src, dst) {
  const hash = createHash('sha256');
  src.on('data', (chunk) => {
    hash.update(chunk);
    if (!dst.write(chunk)) {
      src.pause();
      dst.once('drain', () => src.resume());
    }
  });
  src.on('end', () => {
    hash.digest();
    dst.end();
  });
}

function forward(isTls, req, res) {
  const url = new URL(isTls ? `https://${req.headers.host}${req.url}` : req.url);
  const up = (isTls ? https : http).request(
    { host: url.hostname, port: url.port, method: req.method, path: url.pathname + url.search, headers: req.rawHeaders, agent: isTls ? httpsAgent : httpAgent },
    (resp) => {
      res.writeHead(resp.statusCode, resp.rawHeaders);
      hashedRelay(resp, res);
    },
  );
  up.on('error', () => res.destroy());
  hashedRelay(req, up);
}

const tlsServer = work === '-' ? null
  : https.createServer({ key: readFileSync(join(work, 'up.key')), cert: readFileSync(join(work, 'up.crt')) }, (req, res) => forward(true, req, res));
const server = http.createServer((req, res) => forward(false, req, res));
server.keepAliveTimeout = 60_000;
if (tlsServer) tlsServer.keepAliveTimeout = 60_000;
server.on('connect', (req, socket, head) => {
  if (!tlsServer) return socket.destroy();
  socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
  socket.unshift(head);
  tlsServer.emit('connection', socket);
});
server.listen(Number(listenPort), listenHost, () => process.stdout.write(`${server.address().port}\n`));
