/**
 * Commands run without recording (a playbook's setup, teardown, `before` and conditions): no
 * shell, no proxy, stdout and stderr kept (each up to a limit) so a failure can be shown.
 */
import { spawn } from 'node:child_process';
import { checkExecutable, exitCodeOf } from './wrap-command.js';

/** Bytes of each stream kept for the report (the tail end, where errors are). */
const KEEP_BYTES = 64 * 1024;

export interface PlainResult {
  /** The exit code as a shell reports it (128 + signal; 127 when not found). */
  exitCode: number;
  stdout: string;
  stderr: string;
}

function keeper(): { add(chunk: Buffer): void; text(): string } {
  let kept = Buffer.alloc(0);
  return {
    add(chunk) {
      kept = Buffer.concat([kept, chunk]);
      if (kept.length > KEEP_BYTES) kept = kept.subarray(kept.length - KEEP_BYTES);
    },
    text: () => kept.toString('utf8'),
  };
}

/** Runs argv to its end. A command that cannot start is a result (127/126), not an exception. */
export async function runPlainCommand(argv: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<PlainResult> {
  const [file, ...args] = argv;
  const missing = checkExecutable(file ?? '', options.env, options.cwd);
  if (missing) return { exitCode: missing.exitCode, stdout: '', stderr: `${missing.message}\n` };
  const out = keeper();
  const err = keeper();
  const child = spawn(file ?? '', args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (c: Buffer) => out.add(c));
  child.stderr.on('data', (c: Buffer) => err.add(c));
  return new Promise((resolve) => {
    child.once('error', (e: NodeJS.ErrnoException) => resolve({ exitCode: 126, stdout: out.text(), stderr: `${file ?? ''}: cannot run (${e.code ?? e.message})\n` }));
    child.once('close', (code, signal) => {
      const exit = signal ? { kind: 'signaled' as const, signal } : { kind: 'exited' as const, code: code ?? 0 };
      resolve({ exitCode: exitCodeOf(exit), stdout: out.text(), stderr: err.text() });
    });
  });
}
