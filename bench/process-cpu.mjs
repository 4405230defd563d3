// CPU time of processes from /proc, for the benches that split a run's CPU between its parties
// (bench/lab.mjs, bench/proxy.mjs).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;

/** /proc/PID/stat's fields after the command name (index 0 is field 3, the state); null once gone. */
export function statFields(pid) {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
  } catch {
    return null;
  }
}

/** CPU seconds (user + system, all its threads) a live process has used itself, children not included; null once gone. */
export function cpuSeconds(pid) {
  const f = statFields(pid);
  return f ? (Number(f[11]) + Number(f[12])) / CLOCK_TICKS : null; // utime, stime (fields 14, 15)
}
