/** Runs the built CLI (`bin/flowscribe` → `dist/`) as a real child process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/flowscribe', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliRun {
  child: ChildProcess;
  /** Resolves once `text` has appeared on the given stream. */
  waitFor(stream: 'stdout' | 'stderr', text: string | RegExp): Promise<string>;
  result: Promise<CliResult>;
}

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Written to flowscribe's stdin, which is then closed; stdin is /dev/null without it. */
  input?: string;
  /** Run `bin/flowscribe` as a program (sh reads its launcher line first), as an installed one runs. */
  asProgram?: boolean;
  /** Another launcher than this checkout's `bin/flowscribe` (a copy of the package). */
  bin?: string;
}

export function startCli(args: string[], options: CliOptions = {}): CliRun {
  const bin = options.bin ?? BIN;
  const [file, argv] = options.asProgram ? [bin, args] : [process.execPath, [bin, ...args]];
  const child = spawn(file, argv, {
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? process.env,
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (options.input !== undefined) child.stdin?.end(options.input);
  const out = { stdout: '', stderr: '' };
  const waiters: Array<() => void> = [];
  for (const name of ['stdout', 'stderr'] as const) {
    child[name]?.on('data', (c: Buffer) => {
      out[name] += c.toString('utf8');
      for (const w of waiters) w();
    });
  }
  const result = new Promise<CliResult>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout: out.stdout, stderr: out.stderr })),
  );
  const waitFor = (name: 'stdout' | 'stderr', text: string | RegExp) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        if (typeof text === 'string' ? out[name].includes(text) : text.test(out[name])) resolve(out[name]);
      };
      waiters.push(check);
      check();
      void result.then(() => reject(new Error(`flowscribe ended before ${String(text)} on ${name}:\n${out.stderr}`)));
    });
  return { child, waitFor, result };
}

/** Runs the CLI to the end. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return startCli(args, options).result;
}
