import { describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { checkExecutable, exitCodeOf, startCommand, type StdoutSink } from '../../src/capture/command/wrap-command.js';
import { makeBody } from '../helpers/exchanges.js';

/** Keeps stdout in memory (the real sink is the proxy's BodyRecorder; this tests the tee). */
function memorySink(): StdoutSink & { text(): string } {
  const chunks: Buffer[] = [];
  return {
    write: (chunk: Buffer) => chunks.push(chunk),
    finish: async () => makeBody(Buffer.concat(chunks).toString('utf8'), 'text/plain'),
    text: () => Buffer.concat(chunks).toString('utf8'),
  };
}

function collect(stream: PassThrough): () => string {
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return () => Buffer.concat(chunks).toString('utf8');
}

async function run(argv: string[], env: NodeJS.ProcessEnv = process.env) {
  const terminal = new PassThrough();
  const shown = collect(terminal);
  const sink = memorySink();
  const started = await startCommand({ argv, env, cwd: process.cwd(), stdout: sink, terminal });
  if (started.kind !== 'started') throw new Error(started.message);
  const result = await started.done;
  return { ...result, shown: shown(), kept: sink.text(), started };
}

describe('startCommand', () => {
  it('passes stdout through and keeps it, and reports the exit code', async () => {
    const r = await run(['sh', '-c', 'printf "hello\\nworld"; exit 3']);
    expect(r.exit).toEqual({ kind: 'exited', code: 3 });
    expect(r.shown).toBe('hello\nworld');
    expect(r.kept).toBe('hello\nworld');
    expect(r.stdout.data).toBe('hello\nworld');
    expect(exitCodeOf(r.exit)).toBe(3);
  });

  it('runs without a shell: arguments reach the command verbatim', async () => {
    const r = await run(['printf', '%s|', '$HOME', 'a;echo b', '*']);
    expect(r.kept).toBe('$HOME|a;echo b|*|');
  });

  it('gives the command the environment it is handed', async () => {
    const r = await run(['sh', '-c', 'printf %s "$FLOWSCRIBE_TEST_VAR"'], { ...process.env, FLOWSCRIBE_TEST_VAR: 'x y' });
    expect(r.kept).toBe('x y');
  });

  it('reports death by signal as 128 + signal number', async () => {
    const r = await run(['sh', '-c', 'kill -TERM $$']);
    expect(r.exit).toEqual({ kind: 'signaled', signal: 'SIGTERM' });
    expect(exitCodeOf(r.exit)).toBe(143);
  });

  it('forwards a signal to the command', async () => {
    const sink = memorySink();
    const started = await startCommand({ argv: ['sleep', '30'], env: process.env, cwd: '/', stdout: sink, terminal: new PassThrough() });
    if (started.kind !== 'started') throw new Error(started.message);
    started.signal('SIGINT');
    expect((await started.done).exit).toEqual({ kind: 'signaled', signal: 'SIGINT' });
  });

  it('does not wait forever for a background grandchild holding stdout', async () => {
    const r = await run(['sh', '-c', 'printf done; sleep 4 2>/dev/null &']);
    expect(r.exit).toEqual({ kind: 'exited', code: 0 });
    expect(r.kept).toBe('done');
  }, 15_000);

  it('reports an unknown command as not started with exit 127', async () => {
    const started = await startCommand({
      argv: ['flowscribe-no-such-command'],
      env: process.env,
      cwd: '/',
      stdout: memorySink(),
      terminal: new PassThrough(),
    });
    expect(started).toEqual({
      kind: 'not-started',
      message: 'flowscribe-no-such-command: cannot run (ENOENT: the file or its #! interpreter is missing)',
      exitCode: 127,
    });
  });
});

describe('checkExecutable', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowscribe-exec-'));
  const plain = join(dir, 'not-executable');
  writeFileSync(plain, '#!/bin/sh\n');
  chmodSync(plain, 0o644);

  it('finds commands on PATH and by path', () => {
    expect(checkExecutable('sh', process.env, '/')).toBeNull();
    expect(checkExecutable('/bin/sh', process.env, '/')).toBeNull();
  });

  it('rejects missing commands with 127 and non-executable ones with 126', () => {
    expect(checkExecutable('flowscribe-no-such-command', process.env, '/')).toMatchObject({ exitCode: 127 });
    expect(checkExecutable('./nope', process.env, dir)).toMatchObject({ message: './nope: command not found', exitCode: 127 });
    // Root may read anything but still needs an x bit to execute.
    expect(checkExecutable(plain, process.env, '/')).toMatchObject({ exitCode: 126 });
    expect(checkExecutable('not-executable', { PATH: dir }, '/')).toMatchObject({ exitCode: 126 });
  });
});
