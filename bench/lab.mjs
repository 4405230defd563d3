#!/usr/bin/env node
// `openstack image create` of a large image on the lab (lab/up), whole-command wall time, three ways
// in one run, alternating: direct, through `flowscribe record`, through mitmdump. Prints medians and
// ratios against the direct baseline of the same run, and the targets of issue 13.
//
// How each way is routed (two bulk legs: the client's PUT /v2/images/ID/file to glance, and glance's
// PUT of the object to swift, which glance streams while it receives):
//   direct      glance-api restarted with no http_proxy (`lab/restart-glance --direct`); the client
//               has no proxy either. Nothing but the services.
//   flowscribe  what lab/record does: glance-api restarted with its lab http_proxy (the always-on relay,
//               lab/relay.mjs on LAB_RECORDER_PORT), and the command run as
//               `flowscribe record --listen glance-api=<route+shift> ... -- openstack image create ...`,
//               so the client goes through flowscribe's main listener (flowscribe sets its http_proxy)
//               and glance's keystone and swift calls go relay -> flowscribe's glance-api listener.
//   mitmdump    Debian's mitmproxy 8.1.1: `mitmdump -q --set stream_large_bodies=1m` listening where
//               flowscribe's glance-api listener would be; glance-api restarted exactly as for
//               flowscribe (http_proxy = the relay, which hands every request to whatever listens on
//               that port: here mitmdump), and the client with http_proxy/HTTPS_PROXY = mitmdump. So
//               both legs pass mitmdump as they pass flowscribe, including the relay hop of glance's.
//               mitmdump is started, and listening, before the clock starts (it is a daemon;
//               flowscribe's own start is inside its whole-command time, as a user sees it).
//               Checked by running mitmdump without -q: its flow list holds glance's keystone calls and
//               its HEAD and PUT to swift (127.0.0.1:8080/v1/AUTH_.../glance/ID) as well as the client's.
// Fairness: in both routed ways glance's calls also cross the relay (a plain Node HTTP proxy, ~1 to
// 1.5 CPU s per 300 MiB on the 2-core machine) that the direct way does not; `--modes relay` measures
// that hop alone. It is the lab's plumbing, not the recorder's, so it weighs on flowscribe's ratio to
// direct but not on the comparison with mitmdump.
// For finding where the time goes, more ways (--modes): `relay` (glance via the relay with nothing
// behind it, client direct: the relay hop's own cost), `flowscribe-client` / `mitmdump-client` (only
// the client routed, glance direct), `flowscribe-glance` / `mitmdump-glance` (only glance routed), `floor` (bench/floor-proxy.mjs in mitmdump's place).
//
// Cold glance: glance-api is restarted before every run (not timed): keystonemiddleware and
// oslo.limit cache tokens per process, so each run starts from the same state and does the whole
// flow (25 exchanges). The image file is made once in lab/state/bench (random bytes, --disk-format
// raw) and read once untimed (page cache). One untimed warm-up run (--warmup) precedes the timed ones.
// Each run must exit 0 and leave an `active` image of the file's size; the image is deleted after
// every run (and leftovers of an interrupted bench at the start). glance's and swift-proxy's own logs
// give each run's two bulk legs as the servers saw them (glance: PUT .../file; swift: the object PUT).
// A second table splits the CPU seconds of each run: the timed command's process tree (the client,
// and flowscribe when it wraps it), flowscribe itself (its process without its child, sampled every
// 100 ms), mitmdump (after its start), the lab relay, and the lab's services (their process groups).
// On a busy 2-core machine CPU varies much less than wall time, and on two cores every CPU second a
// proxy spends is taken from the client, glance and swift, which are CPU-bound during the upload.
// At the end glance-api is restarted as lab/up leaves it (routed through the relay).
// `--glance-via recorder` starts glance with its http_proxy at the recorder's port itself
// (`lab/restart-glance --to-recorder`) instead of the lab relay, for every routed way alike: what the
// ways cost without the lab's plumbing hop.
// Usage: npm run bench:lab [-- --runs 3 --size-mib 300 --warmup 1 --modes direct,flowscribe,mitmdump --glance-via relay]
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import { existsSync, mkdirSync, readdirSync, openSync, closeSync, readFileSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launcherMalloc } from './launcher-settings.mjs';
import { CLOCK_TICKS, cpuSeconds, statFields } from './process-cpu.mjs';
import { median } from './median.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const lab = join(repo, 'lab');
const MODES = {
  direct: { glance: 'direct', front: null, client: false },
  flowscribe: { glance: 'routed', front: 'flowscribe', client: true },
  mitmdump: { glance: 'routed', front: 'mitmdump', client: true },
  relay: { glance: 'routed', front: null, client: false },
  'flowscribe-client': { glance: 'direct', front: 'flowscribe', client: true },
  'flowscribe-glance': { glance: 'routed', front: 'flowscribe', client: false },
  'mitmdump-client': { glance: 'direct', front: 'mitmdump', client: true },
  'mitmdump-glance': { glance: 'routed', front: 'mitmdump', client: false },
  // bench/floor-proxy.mjs where mitmdump would be: Node's HTTP stack relaying and hashing, recording
  // nothing. What any recorder on Node pays with the lab's routing: if it is over ×1.08, so is flowscribe.
  floor: { glance: 'routed', front: 'floor', client: true },
};
const PROXY_VARS = ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY'];
const NAME_PREFIX = 'flowscribe-bench-';

class BenchError extends Error {}
/** Stops the bench with a one-line reason (main's `finally` still puts glance-api back). */
function die(message) {
  throw new BenchError(message);
}

function parseOptions(argv) {
  const options = { runs: 3, sizeMib: 300, warmup: 1, startRuns: 5, modes: ['direct', 'flowscribe', 'mitmdump'], glanceVia: 'relay' };
  const numeric = { '--runs': 'runs', '--size-mib': 'sizeMib', '--warmup': 'warmup', '--start-runs': 'startRuns' };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--modes') {
      options.modes = (value ?? '').split(',').filter(Boolean);
      const unknown = options.modes.find((m) => !MODES[m]);
      if (unknown || options.modes.length === 0) die(`--modes: unknown mode "${unknown ?? ''}" (known: ${Object.keys(MODES).join(', ')})`);
    } else if (flag === '--glance-via') {
      if (value !== 'relay' && value !== 'recorder') die(`--glance-via: "${value ?? ''}" is not relay or recorder`);
      options.glanceVia = value;
    } else if (numeric[flag]) {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0 || (flag !== '--warmup' && flag !== '--start-runs' && n < 1)) die(`${flag}: "${value}" is not a valid count`);
      options[numeric[flag]] = n;
    } else {
      die(`unknown option "${flag}" (usage: bench/lab.mjs [--runs N] [--size-mib N] [--warmup N] [--start-runs N] [--modes a,b,c] [--glance-via relay|recorder])`);
    }
  }
  if (options.glanceVia === 'recorder' && options.modes.includes('relay')) die('--modes relay needs --glance-via relay (with nothing behind the relay it is the relay hop alone)');
  return options;
}

/** Runs a snippet of bash with lab/lib.sh sourced (the lab's ports, PATH and helpers); its stdout. */
function labShell(script) {
  const r = spawnSync('bash', ['-c', `set -euo pipefail; source "${lab}/lib.sh"; ${script}`], {
    encoding: 'utf8', env: { ...process.env, LAB_NODE: process.execPath },
  });
  if (r.status !== 0) die(`lab shell "${script}" failed (exit ${r.status}): ${r.stderr.trim().split('\n').at(-1)}`);
  return r.stdout;
}

/** The lab's environment (lib.sh + openrc: narrowed PATH, OS_* credentials, no proxy variables). */
function labContext() {
  const env = Object.fromEntries(labShell('load_openrc; env -0').split('\0').filter(Boolean)
    .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  for (const v of [...PROXY_VARS, 'no_proxy', 'NO_PROXY']) delete env[v];
  const [state, host, listenerPort, tls] = labShell('echo "$LAB_STATE"; echo "$LAB_HOST"; recorder_port glance-api; echo "$LAB_TLS"').trim().split('\n');
  // Behind TLS glance trusts flowscribe's CA only (lab/state/tls/services-ca.pem), not mitmdump's.
  if (tls === '1') die('the lab runs behind TLS: bench:lab compares on the plain-HTTP lab (LAB_TLS=0 lab/up)');
  const listenArgs = labShell('recorder_listen_args').trim().split('\n');
  const relayPid = Number(readFileSync(join(state, 'run/relay.pid'), 'utf8'));
  return { env, state, host, listenerPort: Number(listenerPort), listenArgs, relayPid };
}

function loadAverage() {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

function listens(host, port) {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    const done = (ok) => { s.destroy(); resolve(ok); };
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/** CPU seconds of this process's waited-for children (the timed command's whole tree, once it exited). */
function childrenCpuSeconds() {
  const f = statFields('self');
  return (Number(f[13]) + Number(f[14])) / CLOCK_TICKS; // cutime, cstime (fields 16, 17)
}

/** CPU seconds of every process of the lab's services (their process groups; not the relay). */
function servicesCpuSeconds(ctx) {
  const run = join(ctx.state, 'run');
  const groups = new Set(readdirSync(run).filter((f) => f.endsWith('.pid') && f !== 'relay.pid')
    .map((f) => readFileSync(join(run, f), 'utf8').trim()));
  let total = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    const f = statFields(pid);
    if (f && groups.has(f[2])) total += (Number(f[11]) + Number(f[12])) / CLOCK_TICKS; // pgrp is field 5
  }
  return total;
}

/** A mark of the CPU used so far by each part of a run, before its timed command. */
function cpuMark(ctx, mitm) {
  return { relay: cpuSeconds(ctx.relayPid), mitm: mitm ? cpuSeconds(mitm.pid) : 0, services: servicesCpuSeconds(ctx), command: childrenCpuSeconds() };
}

/** CPU seconds each part used since `before` (flowscribe's own: sampled while it ran). */
function cpuSpent(ctx, mitm, before, flowscribeCpu) {
  const now = cpuMark(ctx, mitm);
  return {
    command: now.command - before.command,
    flowscribe: flowscribeCpu,
    mitmdump: mitm ? now.mitm - before.mitm : null,
    relay: now.relay - before.relay,
    services: now.services - before.services,
  };
}

/**
 * Spawns argv; resolves with exit code and stdout once it exits (stdout and stderr also go to `log`).
 * With `sample`, also its own CPU seconds, read every 100 ms (the last 100 ms before exit are missed).
 */
function run(argv, env, log, cwd, sample = false) {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks = [];
    let cpu = null;
    const timer = sample ? setInterval(() => { cpu = cpuSeconds(child.pid) ?? cpu; }, 100) : null;
    child.stdout.on('data', (c) => { chunks.push(c); log.write(c); });
    child.stderr.on('data', (c) => log.write(c));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearInterval(timer);
      resolve({ code: code ?? signal, stdout: Buffer.concat(chunks).toString('utf8'), cpu });
    });
  });
}

/** Runs a lab script or the openstack CLI untimed; dies with the log's name when it fails. */
async function must(argv, env, log, what) {
  log.write(`\n$ ${argv.join(' ')}\n`);
  const r = await run(argv, env, log);
  if (r.code !== 0) die(`${what} failed (exit ${r.code}); see ${log.path}`);
  return r.stdout;
}

/** The image file: random bytes (nothing on the way can compress them), made once, then read once. */
function imageFile(ctx, sizeMib) {
  const dir = join(ctx.state, 'bench');
  const file = join(dir, `bench-${sizeMib}m.raw`);
  mkdirSync(dir, { recursive: true });
  if (!existsSync(file) || statSync(file).size !== sizeMib * 1024 * 1024) {
    const fd = openSync(file, 'w');
    for (let i = 0; i < sizeMib; i++) writeSync(fd, randomBytes(1024 * 1024));
    closeSync(fd);
  }
  const fd = openSync(file, 'r');
  const buf = Buffer.alloc(1024 * 1024);
  while (readSync(fd, buf) > 0);
  closeSync(fd);
  return file;
}

async function startMitmdump(ctx, log) {
  if (await listens(ctx.host, ctx.listenerPort)) die(`port ${ctx.listenerPort} is already in use on ${ctx.host} (a recorder still running?)`);
  const child = spawn('mitmdump', ['-q', '--set', 'stream_large_bodies=1m', '--listen-host', ctx.host, '--listen-port', String(ctx.listenerPort)],
    { env: ctx.env, stdio: ['ignore', log.fd, log.fd] });
  const deadline = Date.now() + 60_000;
  while (!(await listens(ctx.host, ctx.listenerPort))) {
    if (child.exitCode !== null || Date.now() > deadline) die(`mitmdump did not listen on ${ctx.host}:${ctx.listenerPort}; see ${log.path}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return child;
}

/** The node floor on the recorder's port, with the malloc settings the launcher gives `record`. */
async function startFloor(ctx, log) {
  if (await listens(ctx.host, ctx.listenerPort)) die(`port ${ctx.listenerPort} is already in use on ${ctx.host} (a recorder still running?)`);
  // As `flowscribe record` runs: the launcher's malloc settings, V8's defaults.
  const malloc = launcherMalloc(repo);
  const child = spawn(process.execPath, [join(repo, 'bench/floor-proxy.mjs'), '-', ctx.host, String(ctx.listenerPort)],
    { env: { ...ctx.env, ...malloc }, stdio: ['ignore', log.fd, log.fd] });
  const deadline = Date.now() + 30_000;
  while (!(await listens(ctx.host, ctx.listenerPort))) {
    if (child.exitCode !== null || Date.now() > deadline) die(`the node floor did not listen on ${ctx.host}:${ctx.listenerPort}; see ${log.path}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return child;
}

function stopChild(child) {
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

/** The timed command of one run: argv and environment. */
function timedCommand(ctx, mode, name, file, capture) {
  const create = ['openstack', 'image', 'create', '--disk-format', 'raw', '--file', file, name];
  const unproxied = ['env', ...PROXY_VARS.flatMap((v) => ['-u', v])];
  if (mode.front === 'flowscribe') {
    const listen = mode.glance === 'routed' ? ctx.listenArgs : [];
    return { argv: [join(repo, 'bin/flowscribe'), 'record', ...listen, '-o', capture, '--',
      ...(mode.client ? [] : unproxied), ...create], env: ctx.env };
  }
  const proxy = `http://${ctx.host}:${ctx.listenerPort}`;
  const env = (mode.front === 'mitmdump' || mode.front === 'floor') && mode.client ? { ...ctx.env, ...Object.fromEntries(PROXY_VARS.map((v) => [v, proxy])) } : ctx.env;
  return { argv: create, env };
}

/** Byte offsets of the server logs the bulk legs are read from, before a run. */
function logMarks(ctx) {
  const size = (f) => (existsSync(f) ? statSync(f).size : 0);
  const files = { glance: join(ctx.state, 'log/glance-api-app.log'), swift: join(ctx.state, 'log/swift-proxy.log') };
  return Object.fromEntries(Object.entries(files).map(([k, f]) => [k, { file: f, from: size(f) }]));
}

function newLines({ file, from }) {
  return existsSync(file) ? readFileSync(file).subarray(from).toString('utf8').split('\n') : [];
}

/**
 * From the servers' own logs: seconds glance took for PUT .../file and swift-proxy for the object PUT,
 * and the run's wall time split around glance's PUT: before it (the client's start, auth, the image
 * record; flowscribe's start too), during it, after it (the client's exit; flowscribe's stop too).
 */
function bulkLegs(marks, imageId, spawnedAt, exitedAt) {
  const glanceLine = newLines(marks.glance).find((l) => l.includes(`"PUT /v2/images/${imageId}/file `));
  const swiftLine = newLines(marks.swift).find((l) => new RegExp(`PUT /v1/\\S+/${imageId} HTTP`).test(l));
  const glancePut = glanceLine ? Number(/ (\d+\.\d+)\s*$/.exec(glanceLine)?.[1]) : NaN;
  // glance logs local time, written as it answers the PUT.
  const glanceEnd = glanceLine ? new Date(glanceLine.slice(0, 23).replace(' ', 'T')).getTime() : NaN;
  const times = swiftLine ? /(\d{10}\.\d+) (\d{10}\.\d+) \S+\s*$/.exec(swiftLine) : null;
  return {
    glancePut,
    swiftPut: times ? Number(times[2]) - Number(times[1]) : NaN,
    beforeUpload: (glanceEnd - glancePut * 1000 - spawnedAt) / 1000,
    afterUpload: (exitedAt - glanceEnd) / 1000,
  };
}

/** Where a flowscribe run's time went, from its capture (wall clock of the exchanges vs the process). */
function capturePhases(capture, spawnedAt, exitedAt) {
  const lines = readFileSync(capture, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const header = lines.find((l) => l.type === 'header');
  const trailer = lines.find((l) => l.type === 'trailer');
  const exchanges = lines.filter((l) => l.type === 'exchange');
  const ms = (at) => Date.parse(at);
  const firstRequest = Math.min(...exchanges.map((e) => ms(e.timings.requestStart.at)));
  const lastResponse = Math.max(...exchanges.map((e) => ms((e.timings.responseEnd ?? e.timings.requestStart).at)));
  const s = (a, b) => (b - a) / 1000;
  return {
    exchanges: exchanges.length,
    recorderStart: s(spawnedAt, ms(header.startedAt)),
    untilFirstRequest: s(ms(header.startedAt), firstRequest),
    traffic: s(firstRequest, lastResponse),
    afterLastResponse: s(lastResponse, ms(trailer.endedAt)),
    recorderExit: s(ms(trailer.endedAt), exitedAt),
  };
}

/** A run's log file (every command of the run, untimed ones too), under lab/state/bench/logs. */
function openLog(ctx, label) {
  const dir = join(ctx.state, 'bench/logs');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${label}.log`);
  const fd = openSync(path, 'w');
  return { path, fd, write: (c) => writeSync(fd, c), close: () => closeSync(fd) };
}

async function restartGlance(ctx, how, log) {
  const flag = { direct: ['--direct'], routed: ctx.glanceVia === 'recorder' ? ['--to-recorder'] : [], lab: [] }[how];
  await must([join(lab, 'restart-glance'), ...flag], { ...process.env, LAB_NODE: process.execPath }, log, 'lab/restart-glance');
}

/** Checks the image is active with the file's size, then deletes it (untimed, glance still routed as in the run). */
async function checkAndDelete(ctx, imageId, size, log) {
  const shown = JSON.parse(await must(['openstack', 'image', 'show', '-f', 'json', imageId], ctx.env, log, 'openstack image show'));
  await must(['openstack', 'image', 'delete', imageId], ctx.env, log, 'openstack image delete');
  if (shown.status !== 'active' || shown.size !== size) die(`image ${imageId}: status ${shown.status}, size ${shown.size} (want active, ${size}); see ${log.path}`);
}

/** One run: cold glance routed for `modeName`, the front started, the timed command, the check. */
async function runOnce(ctx, modeName, label, file) {
  const mode = MODES[modeName];
  const log = openLog(ctx, label);
  const capture = join(ctx.state, 'bench', `${label}.jsonl`);
  rmSync(capture, { force: true });
  await restartGlance(ctx, mode.glance, log);
  if (mode.front === 'flowscribe' && (await listens(ctx.host, ctx.listenerPort))) die(`port ${ctx.listenerPort} is already in use on ${ctx.host}`);
  // The daemon in front (mitmdump or the floor): started and listening before the clock starts.
  const mitm = mode.front === 'mitmdump' ? await startMitmdump(ctx, log) : mode.front === 'floor' ? await startFloor(ctx, log) : null;
  try {
    const marks = logMarks(ctx);
    const { argv, env } = timedCommand(ctx, mode, `${NAME_PREFIX}${label}`, file, capture);
    log.write(`\n$ ${argv.join(' ')}   (timed)\n`);
    const spawnedAt = Date.now();
    const t0 = performance.now();
    const cpuBefore = cpuMark(ctx, mitm);
    const r = await run(argv, env, log, join(ctx.state, 'bench'), mode.front === 'flowscribe');
    const seconds = (performance.now() - t0) / 1000;
    const exitedAt = Date.now();
    const cpu = cpuSpent(ctx, mitm, cpuBefore, r.cpu);
    const imageId = /\|\s*id\s*\|\s*([0-9a-f-]{36})\s*\|/.exec(r.stdout)?.[1];
    if (r.code !== 0 || !imageId) die(`${label}: the command failed (exit ${r.code}${imageId ? '' : ', no image id printed'}); see ${log.path}`);
    // glance pointed at the recorder's port itself needs something there for the check's keystone calls.
    const stand = mode.front === 'flowscribe' && mode.glance === 'routed' && ctx.glanceVia === 'recorder' ? await startFloor(ctx, log) : null;
    try {
      await checkAndDelete(ctx, imageId, statSync(file).size, log);
    } finally {
      await stopChild(stand);
    }
    const phases = mode.front === 'flowscribe' ? capturePhases(capture, spawnedAt, exitedAt) : null;
    return { seconds, ...bulkLegs(marks, imageId, spawnedAt, exitedAt), phases, cpu };
  } finally {
    await stopChild(mitm);
    log.close();
  }
}

/** Images left by an interrupted bench (named flowscribe-bench-*), deleted before starting. */
async function deleteLeftovers(ctx, log) {
  const listed = await must(['openstack', 'image', 'list', '-f', 'value', '-c', 'ID', '-c', 'Name'], ctx.env, log, 'openstack image list');
  for (const [id, name] of listed.trim().split('\n').filter(Boolean).map((l) => l.split(' '))) {
    if (name?.startsWith(NAME_PREFIX)) await must(['openstack', 'image', 'delete', id], ctx.env, log, 'openstack image delete');
  }
}

/** `flowscribe record -- true` and `node -e 0`: flowscribe's own start and stop, against node's. */
async function startCost(ctx, n) {
  const time = async (argv) => {
    const t0 = performance.now();
    const r = spawnSync(argv[0], argv.slice(1), { env: ctx.env, stdio: 'ignore' });
    if (r.status !== 0) die(`${argv.join(' ')} failed (exit ${r.status})`);
    return (performance.now() - t0) / 1000;
  };
  const out = join(ctx.state, 'bench/start.jsonl');
  const rec = [], node = [];
  for (let i = 0; i < n; i++) {
    node.push(await time([process.execPath, '-e', '0']));
    rec.push(await time([join(repo, 'bin/flowscribe'), 'record', '-o', out, '--', 'true']));
  }
  return { record: median(rec), node: median(node) };
}

const fmt = (x, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : '?');

const CPU_PARTS = ['command', 'flowscribe', 'mitmdump', 'relay', 'services'];
const cpuTotal = (c) => c.command + (c.mitmdump ?? 0) + c.relay + c.services;

/** Median CPU seconds of each part, then of the total ('—' for a part a way does not have). */
function cpuCells(rs) {
  const part = (p) => {
    const xs = rs.map((r) => r.cpu[p]).filter((x) => x !== null);
    return xs.length ? fmt(median(xs)) : '—';
  };
  return [...CPU_PARTS.map(part), fmt(median(rs.map((r) => cpuTotal(r.cpu))))];
}

const row = (cells) => console.log(`| ${cells.join(' | ')} |`);

function printTables(results, modes) {
  const base = median(results.direct?.map((r) => r.seconds) ?? []);
  console.log('\nWhole command, wall time; then medians of its parts around glance\'s PUT /file, and of the swift object PUT, from those servers\' logs:\n');
  row(['way', 'runs (s)', 'median (s)', '×direct', 'before the upload (s)', 'glance PUT /file (s)', 'after it (s)', 'swift object PUT (s)']);
  row(Array(8).fill('---'));
  for (const m of modes) {
    const rs = results[m];
    const med = median(rs.map((r) => r.seconds));
    row([m, rs.map((r) => fmt(r.seconds)).join(' '), fmt(med), results.direct ? `×${fmt(med / base)}` : '—',
      ...['beforeUpload', 'glancePut', 'afterUpload', 'swiftPut'].map((k) => fmt(median(rs.map((r) => r[k]))))]);
  }
  console.log('\nCPU seconds during the timed command (medians; command = the client, with flowscribe when it wraps it):\n');
  row(['way', 'command', 'flowscribe itself', 'mitmdump (or floor)', 'lab relay', 'lab services', 'total']);
  row(Array(7).fill('---'));
  for (const m of modes) row([m, ...cpuCells(results[m])]);
}

function printTargets(results) {
  if (!results.direct || !results.flowscribe) return;
  const base = median(results.direct.map((r) => r.seconds));
  const f = median(results.flowscribe.map((r) => r.seconds)) / base;
  const verdict = (ok) => (ok ? 'met' : 'NOT met');
  console.log(`\ntarget: flowscribe ≤ ×1.08 direct: ×${fmt(f, 3)} — ${verdict(f <= 1.08)}`);
  if (results.mitmdump) {
    const mm = median(results.mitmdump.map((r) => r.seconds)) / base;
    console.log(`target: flowscribe not slower than mitmdump: ×${fmt(f, 3)} vs ×${fmt(mm, 3)} — ${verdict(f <= mm)}`);
  }
  if (results.floor) console.log(`the node floor (relaying and hashing, no recording), routed the same way: ×${fmt(median(results.floor.map((r) => r.seconds)) / base, 3)}`);
}

/** For each flowscribe way: median seconds of each phase of the whole command, from the captures. */
function printPhases(results) {
  for (const [m, rs] of Object.entries(results)) {
    const ps = rs.map((r) => r.phases).filter(Boolean);
    if (ps.length === 0) continue;
    const med = (k) => fmt(median(ps.map((p) => p[k])));
    console.log(`${m} (medians, s): spawn → recorder ready ${med('recorderStart')}; → first request ${med('untilFirstRequest')} ` +
      `(the client's own start); traffic ${med('traffic')} (${ps[0].exchanges} exchanges); last response → trailer ` +
      `${med('afterLastResponse')}; trailer → exit ${med('recorderExit')}`);
  }
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  if (!existsSync(join(repo, 'dist/cli/main.js'))) die('flowscribe is not built: run npm run build');
  if (spawnSync(join(lab, 'status'), { stdio: 'ignore' }).status !== 0) die('the lab is not up (lab/status fails): run lab/up');
  if (options.modes.some((m) => MODES[m].front === 'mitmdump') && spawnSync('mitmdump', ['--version'], { stdio: 'ignore' }).status !== 0) {
    console.log('mitmdump is not installed (apt-get install mitmproxy): the mitmdump ways are left out');
    options.modes = options.modes.filter((m) => MODES[m].front !== 'mitmdump');
  }
  const ctx = { ...labContext(), glanceVia: options.glanceVia };
  // The relay hands glance's calls to whatever listens there: a stray listener would stall every run.
  if (await listens(ctx.host, ctx.listenerPort)) die(`port ${ctx.listenerPort} on ${ctx.host} is in use (a recorder still running?): the relay would send glance's calls there; stop it first`);
  const file = imageFile(ctx, options.sizeMib);
  const loadStart = loadAverage();
  console.log(`bench:lab: openstack image create, ${options.sizeMib} MiB, ${options.runs} runs of ${options.modes.join(', ')}; glance routed via the ${options.glanceVia === 'relay' ? 'lab relay' : "recorder's listener itself (no relay hop)"}; load average at start: ${loadStart}`);
  const setup = openLog(ctx, 'setup');
  try {
    await deleteLeftovers(ctx, setup);
    const start = options.startRuns ? await startCost(ctx, options.startRuns) : null;
    for (let i = 1; i <= options.warmup; i++) await runOnce(ctx, 'direct', `warmup-${i}`, file);
    const results = Object.fromEntries(options.modes.map((m) => [m, []]));
    for (let i = 1; i <= options.runs; i++) {
      for (const m of options.modes) {
        const r = await runOnce(ctx, m, `${m}-${i}`, file);
        results[m].push(r);
        console.log(`  run ${i} ${m}: ${fmt(r.seconds)} s (glance PUT ${fmt(r.glancePut)} s, swift PUT ${fmt(r.swiftPut)} s; CPU s total ${fmt(cpuTotal(r.cpu))})`);
      }
    }
    printTables(results, options.modes);
    printTargets(results);
    printPhases(results);
    if (start) console.log(`flowscribe record -- true: ${fmt(start.record)} s; node -e 0: ${fmt(start.node)} s (medians of ${options.startRuns})`);
    console.log(`load average at start: ${loadStart}; at end: ${loadAverage()} (2-core machine: under load the numbers are upper bounds)`);
  } finally {
    // Leave glance-api as lab/up does: routed through the relay, cold.
    await restartGlance(ctx, 'lab', setup);
    setup.close();
  }
}

try {
  await main();
} catch (err) {
  console.error(`bench:lab: ${err instanceof BenchError ? err.message : err.stack}`);
  process.exit(1);
}
