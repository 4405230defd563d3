/**
 * Running the lab's scripts (`lab/up`, `lab/record`, `lab/down`) from tests: output kept in order
 * (stderr merged into stdout) so a failure can show what the script said — which service failed
 * and the tail of its log.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root (test/helpers/ is two levels below it). */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface ScriptRun {
  /** Combined stdout and stderr. */
  output: string;
  /** Wall time in seconds. */
  seconds: number;
}

/**
 * Runs `lab/<script> args...` (with `env` added to ours, e.g. `LAB_TLS`); throws with the last
 * lines of its output when it fails.
 */
export function runLabScript(script: string, args: string[], timeoutMs: number, tailLines = 80, env: NodeJS.ProcessEnv = {}): ScriptRun {
  const started = process.hrtime.bigint();
  const result = spawnSync('bash', ['-c', 'exec "$@" 2>&1', 'lab', `lab/${script}`, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const output = result.stdout ?? '';
  if (result.status !== 0) {
    const how = result.error ? `${result.error.message}` : `exit ${result.status ?? result.signal}`;
    const tail = output.split('\n').slice(-tailLines).join('\n');
    throw new Error(`lab/${script} ${args.join(' ')} failed (${how}); its last output:\n${tail}`);
  }
  return { output, seconds };
}
