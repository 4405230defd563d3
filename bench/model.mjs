#!/usr/bin/env node
// The model's share of `render`: buildTimelines (participants, variables, redaction, both views) on a
// generated capture of N exchanges, N = 2,500 / 5,000 / 10,000 — the reference run repeated with
// fresh ids and tokens per repetition. Baseline measured in the same run: parseCapture of the
// same text (reading and schema-checking it), which every render pays anyway.
// Run: npm run bench:model   (builds dist/ first; runs node with --expose-gc for the heap column)
import { performance } from 'node:perf_hooks';
import { buildTimelines, defaultConfig, parseCapture } from '../dist/index.js';
import { repeatedCapture as generate } from './repeated-capture.mjs';

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
