#!/usr/bin/env node
// Recorder overhead on loopback, measured in one run against a direct baseline:
// small requests (p50/p99 latency, req/s), 32 concurrent clients, 1 GiB upload and download (MB/s),
// and the recorder's peak RSS (VmHWM of the recorder child process, started from the built dist/).
// Client, upstream and recorder are three processes, as in real use (a client and its server never
// share an event loop), so "direct" pays the same process hops minus the recorder's.
// Usage: npm run bench:proxy [-- --size-mib 1024 --small 2000]
import http from 'node:http';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const SIZE = opt('--size-mib', 1024) * 1024 * 1024;
const SMALL = opt('--small', 2000);
const CONCURRENT = 32;
const PATTERN = randomBytes(1024 * 1024);
const work = args.includes('--upstream-child') ? '' : mkdtempSync(join(tmpdir(), 'flowscribe-bench-'));

function startUpstream() {
  const server = http.createServer((req, res) => {
    if (req.url.startsWith('/download/')) {
      const size = Number(req.url.split('/')[2]);
      res.writeHead(200, { 'Content-Length': size, 'Content-Type': 'application/octet-stream' });
      let sent = 0;
      const pump = () => {
        while (sent < size) {
          const n = Math.min(PATTERN.length, size - sent);
          sent += n;
          if (!res.write(PATTERN.subarray(0, n))) return void res.once('drain', pump);
        }
        res.end();
      };
      return pump();
    }
    let n = 0;
    req.on('data', (c) => (n += c.length));
    req.on('end', () => res.end(JSON.stringify({ ok: true, received: n })));
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}

async function startRecorderChild() {
  const script = new URL('../test/helpers/recorder-child.mjs', import.meta.url);
  const options = { capturePath: join(work, 'bench.jsonl'), caDir: join(work, 'ca') };
  const child = spawn(process.execPath, [script.pathname, JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise((r) => createInterface({ input: child.stdout }).once('line', r));
  const info = JSON.parse(line);
  const peakRss = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${info.pid}/status`, 'utf8'))[1]) * 1024;
  return { child, port: info.port, peakRss };
}

/** Options for one request to `path` on the upstream, directly or through the proxy (absolute form). */
function target(upstreamPort, proxyPort, path) {
  const host = `127.0.0.1:${upstreamPort}`;
  return proxyPort
    ? { host: '127.0.0.1', port: proxyPort, path: `http://${host}${path}`, headers: { Host: host } }
    : { host: '127.0.0.1', port: upstreamPort, path, headers: { Host: host } };
}

function request(opts, agent, body) {
  return new Promise((resolve, reject) => {
    const req = http.request({ ...opts, agent, method: body ? 'POST' : 'GET' }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

async function small(upstreamPort, proxyPort) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const times = [];
  const start = process.hrtime.bigint();
  for (let i = 0; i < SMALL; i++) {
    const t = process.hrtime.bigint();
    await request(target(upstreamPort, proxyPort, `/small?i=${i}`), agent, '{"hello":"world"}');
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  agent.destroy();
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p99: percentile(times, 0.99), rps: SMALL / seconds };
}

async function concurrent(upstreamPort, proxyPort) {
  const perClient = Math.max(1, Math.floor(SMALL / CONCURRENT));
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENT }, async (_, c) => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      for (let i = 0; i < perClient; i++) await request(target(upstreamPort, proxyPort, `/c?c=${c}&i=${i}`), agent, 'x');
      agent.destroy();
    }),
  );
  return { rps: (perClient * CONCURRENT) / (Number(process.hrtime.bigint() - start) / 1e9) };
}

function upload(upstreamPort, proxyPort) {
  return new Promise((resolve, reject) => {
    const opts = target(upstreamPort, proxyPort, '/upload');
    const start = process.hrtime.bigint();
    const req = http.request({ ...opts, method: 'PUT', agent: false, headers: { ...opts.headers, 'Content-Length': SIZE } }, (res) => {
      res.resume();
      res.on('end', () => resolve(SIZE / 1e6 / (Number(process.hrtime.bigint() - start) / 1e9)));
    });
    req.on('error', reject);
    let sent = 0;
    const pump = () => {
      while (sent < SIZE) {
        const n = Math.min(PATTERN.length, SIZE - sent);
        sent += n;
        if (!req.write(PATTERN.subarray(0, n))) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

function download(upstreamPort, proxyPort) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const req = http.get({ ...target(upstreamPort, proxyPort, `/download/${SIZE}`), agent: false }, (res) => {
      let n = 0;
      res.on('data', (c) => (n += c.length));
      res.on('end', () => (n === SIZE ? resolve(SIZE / 1e6 / (Number(process.hrtime.bigint() - start) / 1e9)) : reject(new Error(`short download ${n}`))));
    });
    req.on('error', reject);
  });
}

async function measure(upstreamPort, proxyPort) {
  return {
    small: await small(upstreamPort, proxyPort),
    concurrent: await concurrent(upstreamPort, proxyPort),
    upload: await upload(upstreamPort, proxyPort),
    download: await download(upstreamPort, proxyPort),
  };
}

if (args.includes('--upstream-child')) {
  const server = await startUpstream();
  process.stdout.write(`${server.address().port}\n`);
  process.once('SIGTERM', () => process.exit(0));
} else {
  await main();
}

async function startUpstreamChild() {
  const child = spawn(process.execPath, [new URL(import.meta.url).pathname, '--upstream-child'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = Number(await new Promise((r) => createInterface({ input: child.stdout }).once('line', r)));
  return { child, port };
}

async function main() {
const upstream = await startUpstreamChild();
const upstreamPort = upstream.port;
const recorder = await startRecorderChild();
await small(upstreamPort, recorder.port); // warm-up (JIT, CA, sockets) for both paths
await small(upstreamPort, 0);
const direct = await measure(upstreamPort, 0);
const proxied = await measure(upstreamPort, recorder.port);
const peak = recorder.peakRss();
const exited = new Promise((r) => recorder.child.once('exit', r));
recorder.child.kill('SIGTERM');
await exited;
upstream.child.kill('SIGTERM');

const f = (n, d = 1) => n.toFixed(d);
const row = (name, a, b, unit, higherIsBetter) =>
  console.log(`${name.padEnd(28)} ${f(a).padStart(10)} ${f(b).padStart(10)}  ${unit.padEnd(6)} ratio ${f(b / a, 2)}${higherIsBetter ? ' (proxy/direct)' : ' (proxy/direct, lower is better)'}`);
console.log(`flowscribe recorder vs direct, loopback, ${SMALL} small requests, ${CONCURRENT} concurrent clients, ${SIZE / 1048576} MiB bodies`);
console.log(`${''.padEnd(28)} ${'direct'.padStart(10)} ${'recorder'.padStart(10)}`);
row('small p50 latency', direct.small.p50, proxied.small.p50, 'ms', false);
row('small p99 latency', direct.small.p99, proxied.small.p99, 'ms', false);
row('small sequential', direct.small.rps, proxied.small.rps, 'req/s', true);
row(`${CONCURRENT} concurrent clients`, direct.concurrent.rps, proxied.concurrent.rps, 'req/s', true);
row('upload', direct.upload, proxied.upload, 'MB/s', true);
row('download', direct.download, proxied.download, 'MB/s', true);
console.log(`recorder peak RSS ${f(peak / 1e6, 0)} MB (target < 200 MB); upload ratio ${f(proxied.upload / direct.upload, 2)} (target ≥ 0.50)`);
rmSync(work, { recursive: true, force: true });
}
