import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCapture } from '../../src/model/capture.js';
import { runCli, startCli } from '../helpers/flowscribe-cli.js';
import { startJsonUpstream, type JsonUpstream } from '../helpers/loopback-upstream.js';

const PYTHON = '/usr/bin/python3';
const work = mkdtempSync(join(tmpdir(), 'flowscribe-errors-'));
const caDir = join(work, 'ca');
let upstream: JsonUpstream;

beforeAll(async () => {
  upstream = await startJsonUpstream('http');
});
afterAll(() => upstream.close());

function cli(args: string[]) {
  return runCli(args, { cwd: work });
}

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l !== '');
}

describe('flowscribe record: usage errors exit 2 with one line naming the problem', () => {
  it.each([
    [['record'], 'flowscribe: record: nothing to run; put the command after --'],
    [['record', '--'], 'flowscribe: record: nothing to run; put the command after --'],
    [['record', 'curl', 'http://x'], 'flowscribe: record: put the command after -- (flowscribe record [options] -- curl http://x)'],
    [['record', '--body-limit', '1XB', '--', 'true'], 'flowscribe: --body-limit 1XB: not a size'],
    [['record', '--port', 'http', '--', 'true'], 'flowscribe: --port http: not a port'],
    [['record', '--port', '70000', '--', 'true'], 'flowscribe: --port 70000: not a port'],
    [['record', '--listen', 'glance-api', '--', 'true'], 'flowscribe: --listen glance-api: expected NAME=PORT'],
    [['record', '--listen', 'glance-api=x', '--', 'true'], 'flowscribe: --listen glance-api=x: x is not a port'],
    [['record', '--service', 'a=9400', '--listen', 'b=9400', '--', 'true'], 'flowscribe: --service a=9400: clashes with --listen b=9400'],
    [['record', '--port', '9400', '--listen', 'a=9400', '--', 'true'], 'flowscribe: --listen a=9400: same port as --port'],
    [['record', '--port', '1', '--port', '2', '--', 'true'], 'flowscribe: --port: given more than once'],
  ])('%j', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr.slice(0, message.length)).toBe(message);
    expect(r.stdout).toBe('');
  });

  it('names an unknown flag', async () => {
    const r = await cli(['record', '--bogus', '--', 'true']);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)[0]).toMatch(/^flowscribe: Unknown argument: bogus/);
  });
});

describe('flowscribe record: failures before the command starts', () => {
  it('exits 127 for an unknown command and leaves no capture', async () => {
    const out = join(work, 'unknown.jsonl');
    const r = await cli(['record', '--ca-dir', caDir, '-o', out, '--', 'flowscribe-no-such-command', 'x']);
    expect(r.code).toBe(127);
    expect(r.stderr).toBe('flowscribe: flowscribe-no-such-command: command not found\n');
    expect(existsSync(out)).toBe(false);
  });

  it('records a command that fails at exec (missing #! interpreter) as not started, exit 127', async () => {
    const script = join(work, 'bad-interpreter');
    writeFileSync(script, '#!/nonexistent/interpreter\n', { mode: 0o755 });
    const out = join(work, 'bad-interpreter.jsonl');
    const r = await cli(['record', '--ca-dir', caDir, '-o', out, '--', script]);
    expect(r.code).toBe(127);
    expect(lines(r.stderr)[0]).toBe(`flowscribe: ${script}: cannot run (ENOENT: the file or its #! interpreter is missing)`);
    const capture = await readCapture(out);
    expect(capture.header.argv).toEqual([script]);
    expect(capture.trailer).toMatchObject({ exit: { kind: 'not-started' }, stdout: null, exchangeCount: 0 });
  });

  it('refuses an unwritable capture path without running the command', async () => {
    const file = join(work, 'a-file');
    writeFileSync(file, '');
    const marker = join(work, 'ran-unwritable');
    const r = await cli(['record', '--ca-dir', caDir, '-o', join(file, 'x.jsonl'), '--', 'touch', marker]);
    expect(r.code).toBe(1);
    expect(lines(r.stderr)[0]).toContain(`${join(file, 'x.jsonl')}: cannot write`);
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses a broken CA in one line without running the command', async () => {
    const broken = join(work, 'broken-ca');
    mkdirSync(join(broken, 'certs'), { recursive: true });
    mkdirSync(join(broken, 'keys'), { recursive: true });
    for (const file of ['certs/ca.pem', 'keys/ca.private.key', 'keys/ca.public.key']) writeFileSync(join(broken, file), 'not PEM\n');
    const marker = join(work, 'ran-broken-ca');
    const r = await cli(['record', '--ca-dir', broken, '-o', join(work, 'broken-ca.jsonl'), '--', 'touch', marker]);
    expect(r.code).toBe(1);
    expect(lines(r.stderr)).toEqual([`flowscribe: CA directory ${broken}: certs/ca.pem is not a PEM certificate`]);
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses a port in use without running the command', async () => {
    const server: Server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const marker = join(work, 'ran-port');
    const r = await cli(['record', '--ca-dir', caDir, '--port', String(port), '-o', join(work, 'port.jsonl'), '--', 'touch', marker]);
    server.close();
    expect(r.code).toBe(1);
    expect(lines(r.stderr)[0]).toContain(`port ${port}`);
    expect(lines(r.stderr)[0]).toContain('in use');
    expect(existsSync(marker)).toBe(false);
  });
});

describe('flowscribe record: a closed stdout', () => {
  it('ends the command as it would end without flowscribe (`flowscribe record -- yes | head`)', async () => {
    const out = join(work, 'yes.jsonl');
    const run = startCli(['record', '--ca-dir', caDir, '-o', out, '--', 'yes'], { cwd: work });
    await run.waitFor('stdout', 'y\ny\n');
    run.child.stdout?.destroy();
    const r = await run.result;
    expect(r.code).not.toBe(0); // yes fails writing to a closed pipe instead of running forever
    const capture = await readCapture(out);
    expect(capture.trailer?.exit).toMatchObject({ kind: expect.stringMatching(/^(exited|signaled)$/) });
    expect(capture.trailer?.stdout?.data).toMatch(/^(y\n)+/);
  });
});

describe('flowscribe record: signals', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('forwards %s to the command, flushes the in-flight exchange and writes the trailer', async (signal, code) => {
    const out = join(work, `${signal}.jsonl`);
    const hang = `/hang-${signal}`;
    const script = [
      'import requests, threading, time',
      `requests.get("${upstream.origin}/done")`,
      `threading.Thread(target=lambda: requests.get("${upstream.origin}${hang}"), daemon=True).start()`,
      'print("ready", flush=True)',
      'time.sleep(60)',
    ].join('\n');
    const run = startCli(['record', '--ca-dir', caDir, '-o', out, '--', PYTHON, '-c', script], { cwd: work });
    await run.waitFor('stdout', 'ready\n');
    while (!upstream.seen.some((s) => s.path === hang)) await new Promise((r) => setTimeout(r, 20));
    run.child.kill(signal);
    const r = await run.result;
    expect(r.code).toBe(code); // 128 + signal number: the command died of the forwarded signal
    const capture = await readCapture(out);
    expect(capture.warnings).toEqual([]);
    expect(capture.trailer).toMatchObject({ exit: { kind: 'signaled', signal }, stdout: { data: 'ready\n' }, exchangeCount: 2 });
    const [done, inFlight] = capture.exchanges;
    expect(done).toMatchObject({ state: 'completed', request: { url: `${upstream.origin}/done` } });
    expect(inFlight?.request.url).toBe(`${upstream.origin}${hang}`);
    expect(['incomplete', 'aborted']).toContain(inFlight?.state);
  });
});
