#!/usr/bin/env node
// The model's share of `render`: buildTimelines (participants, variables, redaction, both views) on a
// generated capture of N exchanges, N = 2,500 / 5,000 / 10,000 — the reference run repeated with
// fresh ids and tokens per repetition. Baseline measured in the same run: parseCapture of the
// same text (reading and schema-checking it), which every render pays anyway.
// Run: npm run bench:model   (builds dist/ first; runs node with --expose-gc for the heap column)
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { buildTimelines, defaultConfig, parseCapture } from '../dist/index.js';

const FIXTURE = new URL('../test/fixtures/captures/openstack-image-create-reference.jsonl', import.meta.url);
const IMAGE_ID = 'e6167145-7865-4d3d-ad19-2a59fb3f1870';
const SERVICE_PROJECT = '3a16cadd069e4a70b95f71316ec6f3e8';
const TOKEN_PREFIX = 'gAAAAABjoDQ';
const RUN_SPAN_NS = 10_000_000_000;

/** The reference run repeated `reps` times as one capture's text: new seq, times, ids and tokens each time. */
function generate(reps) {
  const [header, ...rest] = readFileSync(FIXTURE, 'utf8').trimEnd().split('\n');
  const exchanges = rest.map((l) => JSON.parse(l)).filter((r) => r.type === 'exchange');
  const lines = [header];
  for (let r = 0; r < reps; r += 1) {
    const hex = r.toString(16).padStart(6, '0');
    for (const e of exchanges) {
      const text = JSON.stringify(e)
        .replaceAll(IMAGE_ID, IMAGE_ID.slice(0, -6) + hex)
        .replaceAll(SERVICE_PROJECT, SERVICE_PROJECT.slice(0, -6) + hex)
        .replaceAll(TOKEN_PREFIX, TOKEN_PREFIX + hex);
      const copy = JSON.parse(text);
      copy.seq = e.seq + r * exchanges.length;
      for (const t of Object.values(copy.timings)) if (t) t.ns += r * RUN_SPAN_NS;
      lines.push(JSON.stringify(copy));
    }
  }
  return { text: lines.join('\n') + '\n', count: reps * exchanges.length };
}

function time(fn) {
  const start = performance.now();
  const out = fn();
  return [performance.now() - start, out];
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const RUNS = 3;

console.log('exchanges  parse(baseline)  model mask  model label  label/parse  heap (capture+views)');
for (const reps of [100, 200, 400]) {
  const { text, count } = generate(reps);
  const parse = median(Array.from({ length: RUNS }, () => time(() => parseCapture(text, 'bench.jsonl'))[0]));
  const capture = parseCapture(text, 'bench.jsonl');
  const options = (secrets) => ({ config: defaultConfig(), secrets, include: [], exclude: [] });
  const mask = median(Array.from({ length: RUNS }, () => time(() => buildTimelines(capture, options('mask')))[0]));
  const [label, views] = time(() => buildTimelines(capture, options('label')));
  if (views.full.arrows.length !== count * 2) throw new Error(`expected ${count * 2} arrows, got ${views.full.arrows.length}`);
  // Retained heap with the capture and both views alive (needs --expose-gc for a settled figure).
  globalThis.gc?.();
  const heapMiB = process.memoryUsage().heapUsed / 2 ** 20;
  console.log(
    `${String(count).padStart(9)}  ${parse.toFixed(0).padStart(12)} ms  ${mask.toFixed(0).padStart(7)} ms  ${label.toFixed(0).padStart(8)} ms  ${(label / parse).toFixed(2).padStart(10)}x  ${heapMiB.toFixed(0).padStart(9)} MiB`,
  );
}
