#!/usr/bin/env node
// The recorder against its baselines, measured in one run: direct (no proxy), flowscribe (the real
// `flowscribe proxy` process, recording every exchange with SHA-256 and body prefix) and mitmdump
// (Debian's mitmproxy with `stream_large_bodies=1m -q`: it streams bodies without recording them),
// interleaved rep by rep so that all three see the same machine state. Client, upstream and proxy
// are separate processes, as in real use. Peak RSS is each proxy's VmHWM, reset before each
// scenario through /proc/PID/clear_refs so that every scenario has its own peak.
// `--floor` adds bench/floor-proxy.mjs: Node's HTTP stack relaying and hashing, recording nothing.
// `--c-floor` adds bench/floor-relay.c (built with gcc and libssl-dev): a TCP relay in C that hashes
// every byte ("C+sha256") and one that does not ("C relay"), the least any recorder of these bodies
// can cost; the client talks to them as to the server (no proxy protocol), so HTTPS is not run through them.
// For the bulk scenarios the CPU time of client, server and proxy is printed per GB: with both cores
// busy, that sum bounds the throughput any recorder could reach here.
// Client and server run under the launcher's malloc settings (see peerEnv); `--plain-peers` runs them under glibc's defaults.
// Usage: npm run bench:proxy [-- --size-mib 1024 --small 2000 --reps 3 --slow-mib 512 --no-mitmdump --before DIR --floor --c-floor --plain-peers]
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import net from 'node:net';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { launcherMalloc, launcherProxyFlags } from './launcher-settings.mjs';
import { cpuSeconds } from './process-cpu.mjs';
import { median } from './median.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const MIB = 1024 * 1024;
const SIZE = opt('--size-mib', 1024) * MIB;
const SMALL = opt('--small', 2000);
const REPS = opt('--reps', 3);
const SLOW_SIZE = opt('--slow-mib', 512) * MIB;
const SLOW_RATE = 20e6; // bytes/s of the slow peer
const HTTPS_N = opt('--https', 1000);
const CONCURRENT = 32;
const PATTERN = randomBytes(MIB);
const root = new URL('..', import.meta.url).pathname;

// ---------------------------------------------------------------- upstream (own process)

function pace(rate) {
  const start = process.hrtime.bigint();
  return (bytes) => Math.max(0, (bytes / rate) * 1000 - Number(process.hrtime.bigint() - start) / 1e6);
}

/** Counts what `stream` delivers, read at `rate` bytes/s (as fast as it comes when 0); returns the count so far. */
function readPaced(stream, rate) {
  const wait = rate ? pace(rate) : null;
  let n = 0;
  stream.on('data', (c) => {
    n += c.length;
    const delay = wait ? wait(n) : 0;
    if (delay > 0) {
      stream.pause();
      setTimeout(() => stream.resume(), delay);
    }
  });
  return () => n;
}

/** Writes `size` bytes of PATTERN to `out`, with backpressure; paced to `rate` bytes/s when given. */
function pump(out, size, rate, done) {
  let sent = 0;
  const wait = rate ? pace(rate) : null;
  const step = () => {
    while (sent < size) {
      const n = Math.min(rate ? 64 * 1024 : PATTERN.length, size - sent);
      sent += n;
      const ok = out.write(PATTERN.subarray(0, n));
      const delay = wait ? wait(sent) : 0;
      if (delay > 0) return void setTimeout(step, delay);
      if (!ok) return void out.once('drain', step);
    }
    done();
  };
  step();
}

function handler(req, res) {
  const [, kind, arg] = req.url.split('/');
  if (kind === 'download') {
    res.writeHead(200, { 'Content-Length': Number(arg), 'Content-Type': 'application/octet-stream' });
    return pump(res, Number(arg), Number(new URL(req.url, 'http://x').searchParams.get('rate')) || 0, () => res.end());
  }
  const received = readPaced(req, kind === 'slow-upload' ? SLOW_RATE : 0);
  req.on('end', () => res.end(JSON.stringify({ ok: true, received: received() })));
}

async function upstreamMain(certDir) {
  const plain = http.createServer(handler);
  const secure = https.createServer({ key: readFileSync(join(certDir, 'up.key')), cert: readFileSync(join(certDir, 'up.crt')) }, handler);
  for (const s of [plain, secure]) s.keepAliveTimeout = 60_000;
  await Promise.all([plain, secure].map((s) => new Promise((r) => s.listen(0, '127.0.0.1', r))));
  process.stdout.write(`${JSON.stringify({ http: plain.address().port, https: secure.address().port })}\n`);
  process.once('SIGTERM', () => process.exit(0));
}

// ---------------------------------------------------------------- proxies

const firstLine = (stream) => new Promise((r) => createInterface({ input: stream }).once('line', r));

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port, child, name) {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    const ok = await new Promise((r) => net.connect(port, '127.0.0.1').once('connect', function () { this.destroy(); r(true); }).once('error', () => r(false)));
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} is not listening on ${port}`);
}

async function startFlowscribe(work, tree = root, name = 'flowscribe') {
  const child = spawn(join(tree, 'bin/flowscribe'), ['proxy', '-o', join(work, `${name}.jsonl`), '--ca-dir', join(work, 'ca'), '--upstream-ca', join(work, 'up.crt')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const port = await new Promise((resolve) => lines.on('line', (l) => { const m = /^export http_proxy=http:\/\/127\.0\.0\.1:(\d+)/.exec(l); if (m) resolve(Number(m[1])); }));
  return { name, child, pid: child.pid, port };
}

async function startMitmdump(work) {
  const port = await freePort();
  const child = spawn('mitmdump', ['-q', '--listen-host', '127.0.0.1', '--listen-port', String(port), '--set', `confdir=${join(work, 'mitm')}`, '--set', 'stream_large_bodies=1m', '--set', 'ssl_insecure=true'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitForPort(port, child, 'mitmdump');
  return { name: 'mitmdump', child, pid: child.pid, port };
}

/** A plain TCP relay in C to the upstream's HTTP port (`hash`: SHA-256 of every byte), built into `work`. */
async function startCRelay(work, ports, hash) {
  const exe = join(work, 'floor-relay');
  if (!existsSync(exe)) execFileSync('gcc', ['-O2', '-o', exe, new URL('floor-relay.c', import.meta.url).pathname, '-lcrypto', '-lpthread'], { stdio: 'inherit' });
  const child = spawn(exe, [String(ports.http), ...(hash ? [] : ['--no-hash'])], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = Number(await firstLine(child.stdout));
  return { name: hash ? 'C+sha256' : 'C relay', child, pid: child.pid, port, relay: true };
}

/** The floor runs with the process settings the launcher gives the recorder (read from bin/flowscribe). */
async function startFloor(work) {
  // As `flowscribe proxy` runs: the launcher's malloc settings and V8 flags.
  const env = { ...process.env, ...launcherMalloc(root) };
  const v8Flags = launcherProxyFlags(root);
  const child = spawn(process.execPath, [...v8Flags, new URL('floor-proxy.mjs', import.meta.url).pathname, work], { stdio: ['ignore', 'pipe', 'inherit'], env });
  const port = Number(await firstLine(child.stdout));
  return { name: 'node floor', child, pid: child.pid, port };
}

function resetPeak(proxy) {
  if (proxy) writeFileSync(`/proc/${proxy.pid}/clear_refs`, '5');
}
const clientCpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };

const peakRss = (proxy) => (proxy ? Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${proxy.pid}/status`, 'utf8'))[1]) * 1024 : NaN);

// ---------------------------------------------------------------- clients

/** Request options for `path` on the upstream, directly or through the proxy (absolute form). */
function target(ports, proxy, path) {
  const host = `127.0.0.1:${ports.http}`;
  if (proxy?.relay) return { host: '127.0.0.1', port: proxy.port, path, headers: { Host: host } };
  return proxy ? { host: '127.0.0.1', port: proxy.port, path: `http://${host}${path}`, headers: { Host: host } } : { host: '127.0.0.1', port: ports.http, path, headers: { Host: host } };
}

function request(mod, opts, agent, body) {
  return new Promise((resolve, reject) => {
    const req = mod.request({ ...opts, agent, method: body ? 'POST' : 'GET' }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
const since = (t) => Number(process.hrtime.bigint() - t) / 1e9;

async function small(ports, proxy) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const times = [];
  for (let i = 0; i < SMALL; i++) {
    const t = process.hrtime.bigint();
    await request(http, target(ports, proxy, `/small?i=${i}`), agent, '{"hello":"world"}');
    times.push(since(t) * 1000);
  }
  agent.destroy();
  times.sort((a, b) => a - b);
  return percentile(times, 0.5);
}

async function concurrent(ports, proxy) {
  const perClient = Math.max(1, Math.floor((SMALL * 3) / CONCURRENT));
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENT }, async (_, c) => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      for (let i = 0; i < perClient; i++) await request(http, target(ports, proxy, `/c?c=${c}&i=${i}`), agent, 'x');
      agent.destroy();
    }),
  );
  return (perClient * CONCURRENT) / since(start);
}

/** An HTTPS agent whose one connection is a CONNECT tunnel through `proxy` (or direct without one). */
function httpsAgent(proxy) {
  const agent = new https.Agent({ keepAlive: true, maxSockets: 1, rejectUnauthorized: false });
  if (!proxy) return agent;
  agent.createConnection = (options, callback) => {
    const connect = http.request({ host: '127.0.0.1', port: proxy.port, method: 'CONNECT', path: `${options.host}:${options.port}` });
    connect.once('connect', (res, socket) => {
      if (res.statusCode !== 200) return callback(new Error(`CONNECT answered ${res.statusCode}`));
      callback(null, tls.connect({ socket, servername: 'localhost', rejectUnauthorized: false }));
    });
    connect.once('error', callback);
    connect.end();
  };
  return agent;
}

async function httpsGets(ports, proxy) {
  const agent = httpsAgent(proxy);
  const opts = { host: '127.0.0.1', port: ports.https, path: '/small' };
  await request(https, opts, agent); // handshakes and leaf certificates are not what is measured
  const start = process.hrtime.bigint();
  for (let i = 0; i < HTTPS_N; i++) await request(https, { ...opts, path: `/small?i=${i}` }, agent);
  const rps = HTTPS_N / since(start);
  agent.destroy();
  return rps;
}

function upload(ports, proxy, size, path) {
  return new Promise((resolve, reject) => {
    const opts = target(ports, proxy, path);
    const start = process.hrtime.bigint();
    const req = http.request({ ...opts, method: 'PUT', agent: false, headers: { ...opts.headers, 'Content-Length': size } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => (JSON.parse(body).received === size ? resolve(size / 1e6 / since(start)) : reject(new Error(`upload: ${body}`))));
    });
    req.on('error', reject);
    pump(req, size, 0, () => req.end());
  });
}

function download(ports, proxy, size, rate) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const req = http.get({ ...target(ports, proxy, `/download/${size}`), agent: false }, (res) => {
      const received = readPaced(res, rate);
      res.on('end', () => (received() === size ? resolve(size / 1e6 / since(start)) : reject(new Error(`short download ${received()}`))));
    });
    req.on('error', reject);
  });
}

// ---------------------------------------------------------------- run

const ONLY = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : null;
const SCENARIOS = [
  { key: 'p50', name: 'small GET p50, one connection', unit: 'ms', lower: true, run: small },
  { key: 'conc', name: `${CONCURRENT} clients, small POST`, unit: 'req/s', run: concurrent },
  { key: 'https', name: 'HTTPS GET via CONNECT', unit: 'req/s', run: httpsGets },
  { key: 'up', name: `${SIZE / MIB} MiB upload`, unit: 'MB/s', run: (p, x) => upload(p, x, SIZE, '/upload') },
  { key: 'down', name: `${SIZE / MIB} MiB download`, unit: 'MB/s', run: (p, x) => download(p, x, SIZE, 0) },
].filter((s) => !ONLY || ONLY.includes(s.key));
const SLOW = SLOW_SIZE
  ? [
      { key: 'slowUp', name: `${SLOW_SIZE / MIB} MiB upload, upstream reads 20 MB/s`, run: (p, x) => upload(p, x, SLOW_SIZE, '/slow-upload') },
      { key: 'slowDown', name: `${SLOW_SIZE / MIB} MiB download, client reads 20 MB/s`, run: (p, x) => download(p, x, SLOW_SIZE, SLOW_RATE) },
    ]
  : [];

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'flowscribe-bench-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(work, 'up.key'), '-out', join(work, 'up.crt'), '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
  const upstream = spawn(process.execPath, [new URL(import.meta.url).pathname, '--upstream-child', work], { stdio: ['ignore', 'pipe', 'inherit'], env: peerEnv() });
  const ports = JSON.parse(await firstLine(upstream.stdout));
  const haveMitmdump = !args.includes('--no-mitmdump') && existsSync('/usr/bin/mitmdump');
  const variants = [{ name: 'direct', proxy: null }, { name: 'flowscribe', proxy: await startFlowscribe(work) }];
  // `--before DIR`: another built checkout of flowscribe as a fourth column (a before/after in one run).
  if (args.includes('--before')) variants.push({ name: 'before', proxy: await startFlowscribe(work, args[args.indexOf('--before') + 1], 'before') });
  if (args.includes('--floor')) variants.push({ name: 'node floor', proxy: await startFloor(work) });
  if (args.includes('--c-floor')) for (const hash of [true, false]) variants.push({ name: hash ? 'C+sha256' : 'C relay', proxy: await startCRelay(work, ports, hash) });
  if (haveMitmdump) variants.push({ name: 'mitmdump', proxy: await startMitmdump(work) });
  else console.log('mitmdump: not installed (apt-get install mitmproxy) — the anchor column is missing');
  const load = loadavg()[0];
  const results = Object.fromEntries(variants.map((v) => [v.name, {}]));
  const rss = Object.fromEntries(variants.filter((v) => v.proxy).map((v) => [v.name, {}]));
  const cpu = Object.fromEntries(variants.map((v) => [v.name, {}]));
  for (const v of variants.filter((x) => !x.proxy?.relay)) await small(ports, v.proxy).then(() => httpsGets(ports, v.proxy)); // warm-up: JIT, CA, leaf certificates
  for (let rep = 0; rep < REPS; rep++) {
    for (const s of SCENARIOS) {
      for (const v of variants) {
        if (v.proxy?.relay && s.key === 'https') continue; // a relay is not a proxy: no CONNECT
        resetPeak(v.proxy);
        const before = [clientCpu(), cpuSeconds(upstream.pid), v.proxy ? cpuSeconds(v.proxy.pid) : 0];
        const t = process.hrtime.bigint();
        (results[v.name][s.key] ??= []).push(await s.run(ports, v.proxy));
        const wall = since(t);
        const after = [clientCpu(), cpuSeconds(upstream.pid), v.proxy ? cpuSeconds(v.proxy.pid) : 0];
        (cpu[v.name][s.key] ??= []).push({ wall, used: after.map((x, i) => x - before[i]) });
        if (v.proxy) rss[v.name][s.key] = Math.max(rss[v.name][s.key] ?? 0, peakRss(v.proxy));
      }
    }
    process.stderr.write(`rep ${rep + 1}/${REPS} done\n`);
  }
  for (const s of SLOW) {
    for (const v of variants.filter((x) => x.proxy)) {
      resetPeak(v.proxy);
      await s.run(ports, v.proxy);
      rss[v.name][s.key] = peakRss(v.proxy);
    }
  }
  // Each proxy finishes its capture before the work directory (its CA, its capture) goes.
  await Promise.all(variants.filter((v) => v.proxy).map((v) => new Promise((resolve) => v.proxy.child.once('exit', resolve).kill('SIGTERM'))));
  upstream.kill('SIGTERM');
  report(variants.map((v) => v.name), results, rss, load);
  reportCpu(variants.map((v) => v.name), cpu, Object.fromEntries(SCENARIOS.map((s) => [s.key, median(results.direct[s.key] ?? [])])));
  if (args.includes('--verbose')) console.log(JSON.stringify(results));
  rmSync(work, { recursive: true, force: true });
}

/** CPU seconds per GB of SHA-256 on one thread here, over a 4 MiB buffer (cache-warm: the least it can cost). */
function sha256SecondsPerGb() {
  const data = randomBytes(4 * MIB);
  const hash = createHash('sha256');
  const start = clientCpu();
  for (let i = 0; i < 256; i++) hash.update(data);
  hash.digest();
  return (clientCpu() - start) / ((256 * data.length) / 1e9);
}

/**
 * CPU seconds per GB moved, summed over reps, for each party of the bulk scenarios; cores = CPU / wall.
 * With the C relay measured, also the most any recorder could reach here: whatever it is, client
 * and server do their part (as through the C relay), each byte is read and written once more (the C
 * relay's own cost) and hashed (SHA-256 on one thread, cache-warm), and the machine has two cores.
 */
function reportCpu(names, cpu, direct) {
  const bulk = SCENARIOS.filter((s) => s.key === 'up' || s.key === 'down');
  if (!bulk.length) return;
  console.log(`\nCPU seconds per GB moved (client, server, proxy; all reps), and cores busy = CPU / wall`);
  const perGb = (n, key) => {
    const runs = cpu[n][key] ?? [];
    if (!runs.length) return null;
    const gb = (runs.length * SIZE) / 1e9;
    const used = [0, 1, 2].map((i) => runs.reduce((a, r) => a + r.used[i], 0) / gb);
    return { used, cores: (used.reduce((a, b) => a + b, 0) * gb) / runs.reduce((a, r) => a + r.wall, 0) };
  };
  for (const s of bulk) {
    for (const n of names) {
      const p = perGb(n, s.key);
      if (!p) continue;
      const [client, server, proxy] = p.used;
      console.log(`${`${s.key} ${n}`.padEnd(22)} client ${client.toFixed(2)}  server ${server.toFixed(2)}  proxy ${proxy.toFixed(2)}  total ${(client + server + proxy).toFixed(2)}  cores ${p.cores.toFixed(2)}`);
    }
  }
  if (!names.includes('C relay')) return;
  const sha = sha256SecondsPerGb();
  console.log(`\nSHA-256 alone: ${sha.toFixed(2)} CPU s per GB (${(1 / sha).toFixed(2)} GB/s on one thread). Ceiling for any recorder on 2 cores:`);
  for (const s of bulk) {
    const relay = perGb('C relay', s.key);
    if (!relay) continue;
    const [client, server, copy] = relay.used;
    const ceiling = 2 / (client + server + copy + sha) * 1000;
    const hashOnly = 2 / (client + server + sha) * 1000;
    console.log(`${s.key.padEnd(5)} 2 / (client+server ${(client + server).toFixed(2)} + relay ${copy.toFixed(2)} + SHA-256 ${sha.toFixed(2)}) = ${ceiling.toFixed(0)} MB/s = ${(ceiling / direct[s.key]).toFixed(2)}× direct; without the relay's copies ${hashOnly.toFixed(0)} MB/s = ${(hashOnly / direct[s.key]).toFixed(2)}× direct`);
  }
}

function report(names, results, rss, load) {
  const f = (n, d) => (Number.isFinite(n) ? n.toFixed(d) : '—');
  const hasM = names.includes('mitmdump');
  console.log(`\nflowscribe vs direct vs mitmdump, loopback, medians of ${REPS} interleaved reps; load average ${load.toFixed(2)} at start, ${loadavg()[0].toFixed(2)} at end`);
  console.log(`${'scenario'.padEnd(34)}${names.map((n) => n.padStart(12)).join('')}  ${'fs/direct'.padStart(10)}${hasM ? 'fs/mitmdump'.padStart(13) : ''}`);
  for (const s of SCENARIOS) {
    const m = Object.fromEntries(names.map((n) => [n, median(results[n][s.key] ?? [])]));
    const d = s.lower ? 1 : 0;
    const vsDirect = s.lower ? `+${f(m.flowscribe - m.direct, 2)} ms` : `${f(m.flowscribe / m.direct, 2)}×`;
    const vsM = hasM ? (s.lower ? `${f(m.mitmdump / m.flowscribe, 2)}× faster` : `${f(m.flowscribe / m.mitmdump, 2)}×`) : '';
    console.log(`${`${s.name} (${s.unit})`.padEnd(34)}${names.map((n) => f(m[n], d + (s.lower ? 1 : 0)).padStart(12)).join('')}  ${vsDirect.padStart(10)}${vsM.padStart(13)}`);
  }
  console.log(`\npeak RSS (MB) per scenario, VmHWM reset before each`);
  const keys = [...SCENARIOS, ...SLOW];
  for (const n of Object.keys(rss)) console.log(`${n.padEnd(12)} ${keys.map((s) => `${s.key} ${f(rss[n][s.key] / 1e6, 0)}`).join('  ')}  max ${f(Math.max(...Object.values(rss[n])) / 1e6, 0)}`);
  console.log(`\ntargets (issue 13): bulk ≥ 0.6× direct and ≥ 1.3× mitmdump; RSS ≤ 100 MB; small p50 added ≤ 0.4 ms; 32 clients ≥ 5000 req/s; HTTPS ≥ 3× mitmdump`);
}

/**
 * The client (this process) and the server run under the recorder's malloc settings unless
 * `--plain-peers`. glibc's defaults give a Node peer reading at hundreds of MB/s a page fault per
 * page of every 64 KiB read buffer: its CPU per GB then swung 0.5–3.5 s with how the bytes
 * arrived, on a machine whose second core the proxy needs, and the peers' noise was what we measured.
 */
function peerEnv() {
  return args.includes('--plain-peers') ? process.env : { ...process.env, ...launcherMalloc(root) };
}

if (args.includes('--upstream-child')) await upstreamMain(args[args.indexOf('--upstream-child') + 1]);
else if (!args.includes('--plain-peers') && !process.env.FLOWSCRIBE_BENCH_PEER) {
  // Re-run this script as the client with the peers' settings (malloc reads them only at start).
  const { status } = spawnSync(process.execPath, process.argv.slice(1), { stdio: 'inherit', env: { ...peerEnv(), FLOWSCRIBE_BENCH_PEER: '1' } });
  process.exit(status ?? 1);
} else await main();
