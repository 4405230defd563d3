#!/usr/bin/env node
// `npm run bench`: every benchmark in turn, each in its own process (so one's heap and browser
// don't weigh on the next). Each prints its own numbers and its same-run baseline.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const benches = [
  ['proxy.mjs', []],
  ['startup.mjs', []],
  ['source-resolver.mjs', []],
  ['model.mjs', ['--expose-gc']],
  ['render.mjs', []],
  ['svg.mjs', []],
];
let failed = 0;
for (const [file, nodeFlags] of benches) {
  process.stdout.write(`\n### bench/${file}\n`);
  const r = spawnSync(process.execPath, [...nodeFlags, fileURLToPath(new URL(file, import.meta.url))], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed += 1;
    process.stderr.write(`bench/${file}: exited with ${r.status ?? r.signal}\n`);
  }
}
process.exitCode = failed ? 1 : 0;
