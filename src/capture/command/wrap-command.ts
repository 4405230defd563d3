/**
 * Running the recorded command: no shell, stdin and stderr on the terminal, stdout passed through
 * to the terminal *and* kept for the capture's trailer. Exit status comes back as a `CommandExit`.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { constants as os } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { Body, CommandExit } from '../../model/exchange.js';
import { EXIT_COMMAND_NOT_FOUND } from '../../errors.js';

/** Shell convention: found but not executable. */
export const EXIT_COMMAND_NOT_EXECUTABLE = 126;

/** After the command exits, how long a grandchild may keep its stdout open before we stop reading. */
const STDOUT_GRACE_MS = 2000;

/** Where the command's stdout is kept (a `BodyRecorder`). */
export interface StdoutSink {
  write(chunk: Buffer): unknown;
  finish(): Body | Promise<Body>;
}

/** A command that could not be started: why, and the exit code a shell would give. */
export interface NotStarted {
  kind: 'not-started';
  message: string;
  exitCode: number;
}

export interface Started {
  kind: 'started';
  pid: number;
  /** Sends a signal to the command (SIGINT/SIGTERM forwarding). */
  signal(signal: NodeJS.Signals): void;
  /** Resolves when the command has exited and its stdout is kept. */
  done: Promise<{ exit: CommandExit; stdout: Body }>;
}

export interface CommandSpec {
  argv: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: StdoutSink;
  /** Where the command's stdout is passed on to (flowscribe's own stdout). */
  terminal: Writable;
  /** Where its stderr goes; default flowscribe's own stderr (inherited). */
  stderr?: Writable;
}

function notStarted(name: string, code: string): NotStarted {
  if (code === 'ENOENT') return { kind: 'not-started', message: `${name}: command not found`, exitCode: EXIT_COMMAND_NOT_FOUND };
  return { kind: 'not-started', message: `${name}: cannot run (${code})`, exitCode: EXIT_COMMAND_NOT_EXECUTABLE };
}

function executableError(path: string): string | null {
  try {
    if (statSync(path).isDirectory()) return 'EISDIR';
    accessSync(path, constants.X_OK);
    return null;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? 'EACCES';
  }
}

/** Where execvp would find `name`: its absolute path, or why it is not runnable. */
export function resolveExecutable(name: string, env: NodeJS.ProcessEnv, cwd: string): { path: string } | NotStarted {
  if (name === '') return notStarted('(empty)', 'ENOENT');
  if (name.includes('/')) {
    const path = isAbsolute(name) ? name : resolve(cwd, name);
    const code = executableError(path);
    return code ? notStarted(name, code) : { path };
  }
  let firstError: string | null = null;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    const path = join(resolve(cwd, dir || '.'), name);
    const code = executableError(path);
    if (code === null) return { path };
    if (code !== 'ENOENT' && code !== 'ENOTDIR' && firstError === null) firstError = code;
  }
  return notStarted(name, firstError ?? 'ENOENT');
}

/**
 * Checks, as execvp would, that `name` names something runnable, so a typo fails before any
 * recorder starts. Returns null when it does.
 */
export function checkExecutable(name: string, env: NodeJS.ProcessEnv, cwd: string): NotStarted | null {
  const found = resolveExecutable(name, env, cwd);
  return 'path' in found ? null : found;
}

/** Exit code flowscribe passes on: the command's, or 128 + signal number as a shell reports it. */
export function exitCodeOf(exit: CommandExit): number {
  if (exit.kind === 'exited') return exit.code;
  if (exit.kind === 'signaled') return 128 + (os.signals[exit.signal as NodeJS.Signals] ?? 0);
  return EXIT_COMMAND_NOT_FOUND;
}

/**
 * Copies the command's stdout to the terminal (with backpressure) and into the sink. When the
 * terminal goes away (`flowscribe record -- cmd | head`), the command's pipe is closed too, so it
 * gets EPIPE/SIGPIPE exactly as it would without flowscribe.
 */
function teeStdout(source: Readable, spec: CommandSpec): void {
  spec.terminal.once('error', () => source.destroy());
  source.on('data', (chunk: Buffer) => {
    spec.stdout.write(chunk);
    if (!spec.terminal.write(chunk)) {
      source.pause();
      spec.terminal.once('drain', () => source.resume());
    }
  });
}

/**
 * Starts the command. Resolves `not-started` when the executable is missing or not runnable
 * (the spawn itself reports it), else with a handle whose `done` resolves when it has ended.
 */
export async function startCommand(spec: CommandSpec): Promise<Started | NotStarted> {
  const [file, ...args] = spec.argv;
  const child = spawn(file ?? '', args, { cwd: spec.cwd, env: spec.env, stdio: ['inherit', 'pipe', spec.stderr ? 'pipe' : 'inherit'] });
  if (child.pid === undefined) {
    const err = await new Promise<NodeJS.ErrnoException>((res) => child.once('error', res));
    // checkExecutable passed, so ENOENT here is usually a script whose #! interpreter is missing.
    const code = err.code ?? 'ENOENT';
    const why = code === 'ENOENT' ? 'ENOENT: the file or its #! interpreter is missing' : code;
    return { ...notStarted(file ?? '', code), message: `${file ?? ''}: cannot run (${why})` };
  }
  const stdout = child.stdout as Readable;
  teeStdout(stdout, spec);
  if (spec.stderr) child.stderr?.pipe(spec.stderr, { end: false });
  const closed = new Promise<void>((res) => stdout.once('close', res));
  const exited = new Promise<CommandExit>((res) =>
    child.once('exit', (code, signal) => res(signal ? { kind: 'signaled', signal } : { kind: 'exited', code: code ?? 0 })),
  );
  const done = exited.then(async (exit) => {
    const grace = setTimeout(() => stdout.destroy(), STDOUT_GRACE_MS);
    await closed;
    clearTimeout(grace);
    return { exit, stdout: await spec.stdout.finish() };
  });
  return {
    kind: 'started',
    pid: child.pid,
    signal: (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    done,
  };
}
