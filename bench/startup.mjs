#!/usr/bin/env node
// Start-up cost of `flowscribe record -- true` (a recorder up, a command run through it, the capture
// written and closed): wall time per run, interleaved with the same-run baseline `node -e 0` (what any
// Node CLI pays) and `flowscribe --version` (our launcher alone). Target (issue 13): ≤ 250 ms.
// Run: npm run bench:startup   (builds dist/ first). `--runs N` for more or fewer runs; `--before DIR`
// adds another built checkout's `record -- true` (a before/after in one run).
// flowscribe runs as a program, as an installed one does: sh reads the launcher's line first (its
// settings for node are part of the start), node then. The command's environment is this one's.
// Also prints the files `record -- true` loads (ESM and CommonJS, by package): a count the load of
// the machine does not change, unlike the times.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const TARGET_MS = 250;
const WARMUP = 3;
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg >= 0 ? Number(process.argv[runsArg + 1]) : 15;
const BIN = fileURLToPath(new URL('../bin/flowscribe', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'flowscribe-startup-'));

const beforeArg = process.argv.indexOf('--before');
const BEFORE = beforeArg >= 0 ? join(process.argv[beforeArg + 1], 'bin', 'flowscribe') : null;
const recordTrue = (bin, name) => [bin, 'record', '--ca-dir', join(dir, `ca-${name}`), '-o', join(dir, `${name}.jsonl`), '--', 'true'];

/** [name, program, args] */
const cases = [
  ['node -e 0 (baseline)', process.execPath, ['-e', '0']],
  ['flowscribe --version', BIN, ['--version']],
  ['flowscribe record -- true', BIN, recordTrue(BIN, 'this').slice(1)],
  ...(BEFORE ? [['before: record -- true', BEFORE, recordTrue(BEFORE, 'before').slice(1)]] : []),
];

function once(program, args) {
  const start = performance.now();
  const r = spawnSync(program, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`${program} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

/** The files one run of `args` loads, as `N files: dist 37, http-mitm-proxy 7, ...`. */
function filesLoaded(args) {
  const trace = join(dir, 'modules.txt');
  const hook = fileURLToPath(new URL('../test/helpers/trace-modules.mjs', import.meta.url));
  const env = { ...process.env, NODE_OPTIONS: `--import ${hook}`, FLOWSCRIBE_TRACE_MODULES: trace };
  const r = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const files = new Set(readFileSync(trace, 'utf8').split('\n').filter((u) => u.startsWith('file:')));
  rmSync(trace);
  const by = new Map();
  for (const url of files) {
    const where = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1] ?? (url.includes('/dist/') ? 'dist' : 'other');
    by.set(where, (by.get(where) ?? 0) + 1);
  }
  return `${files.size} files: ${[...by].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ')}`;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = loadavg()[0];
try {
  const times = cases.map(() => []);
  for (let i = 0; i < WARMUP + RUNS; i += 1) {
    // Interleaved, so a change of machine load weighs on every case alike.
    cases.forEach(([, program, args], c) => {
      const ms = once(program, args);
      if (i >= WARMUP) times[c].push(ms);
    });
  }
  const base = median(times[0]);
  console.log(`start-up benchmark (node ${process.version}, ${RUNS} interleaved runs after ${WARMUP} warm-up; load average ${load.toFixed(1)} → ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs)`);
  cases.forEach(([name], c) => {
    const m = median(times[c]);
    console.log(`  ${name.padEnd(28)} median ${m.toFixed(0).padStart(5)} ms  min ${Math.min(...times[c]).toFixed(0).padStart(5)} ms  ${(m / base).toFixed(2)}× baseline`);
  });
  const record = median(times[2]);
  console.log(`record -- true: ${record.toFixed(0)} ms vs target ≤ ${TARGET_MS} ms (${record <= TARGET_MS ? 'met' : 'NOT met'}); ${(record - base).toFixed(0)} ms over the same run's node -e 0`);
  if (BEFORE) console.log(`record -- true: ${(median(times[3]) - record).toFixed(0)} ms less than before (${BEFORE})`);
  console.log(`record -- true loads ${filesLoaded(recordTrue(BIN, 'this'))}`);
  if (load > 1) console.log(`  (load average ${load.toFixed(1)}: other work shared the CPUs; these times are upper bounds)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
