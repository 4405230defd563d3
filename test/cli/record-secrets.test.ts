/**
 * Secrets at rest, through the real `flowscribe record` and a real client (Debian's python3-requests):
 * the capture and `--bodies-dir` files are owner-only whatever the umask, new directories too, and
 * credentials on command lines (the header's argv, each exchange's `source.cmdline`) are never
 * stored in clear.
 */
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readCapture } from '../../src/model/capture.js';
import { runCli } from '../helpers/flowscribe-cli.js';
import { startJsonUpstream, type JsonUpstream } from '../helpers/loopback-upstream.js';

const PYTHON = '/usr/bin/python3';
const PASSWORD = 'argv-Password-31337';
const APP_SECRET = 'argv-AppCredSecret-4242';
const TOKEN = 'gAAAAABargv-token-9000';
const work = mkdtempSync(join(tmpdir(), 'flowscribe-at-rest-'));
let upstream: JsonUpstream;
let umask = 0;

beforeAll(async () => {
  upstream = await startJsonUpstream('http');
});
afterAll(async () => {
  await upstream.close();
  rmSync(work, { recursive: true, force: true });
});
// The most permissive umask: any mode the files get is then flowscribe's own choice.
beforeEach(() => {
  umask = process.umask(0);
});
afterEach(() => {
  process.umask(umask);
});

const mode = (path: string): number => statSync(path).mode & 0o777;

/** python3-requests POSTs a form; its own argv carries the secrets, as `openstack --os-password X` would. */
function client(url: string): string[] {
  const script = 'import requests, sys; requests.post(sys.argv[1], data="password=form-secret-1&x=1")';
  return [PYTHON, '-c', script, url, '--os-password', PASSWORD, `--os-application-credential-secret=${APP_SECRET}`, '--os-token', TOKEN];
}

async function record(capture: string, flags: string[] = []) {
  const r = await runCli(['record', '--ca-dir', join(work, 'ca'), '-o', capture, ...flags, '--', ...client(`${upstream.origin}/v3/auth/tokens`)], { cwd: work });
  expect(r.code, r.stderr).toBe(0);
  return r;
}

describe('flowscribe record: secrets at rest', () => {
  it('creates the capture 0600 and its directory 0700 under umask 000, and --bodies-dir files 0600 in a 0700 dir', async () => {
    const capture = join(work, 'new-dir', 'deeper', 'cap.jsonl');
    await record(capture, ['--bodies-dir', join(work, 'bodies')]);
    expect(mode(capture)).toBe(0o600);
    expect(mode(join(work, 'new-dir'))).toBe(0o700);
    expect(mode(join(work, 'new-dir', 'deeper'))).toBe(0o700);
    expect(mode(join(work, 'bodies'))).toBe(0o700);
    const bodies = readdirSync(join(work, 'bodies'));
    expect(bodies.length).toBeGreaterThan(0);
    for (const f of bodies) expect(mode(join(work, 'bodies', f)), f).toBe(0o600);
  });

  it('makes a reused capture file 0600 even if it was world-readable', async () => {
    const capture = join(work, 'old.jsonl');
    writeFileSync(capture, 'old\n');
    chmodSync(capture, 0o644);
    await record(capture);
    expect(mode(capture)).toBe(0o600);
  });

  it('masks argv credentials in the header and in every exchange\'s cmdline, keeping their shape', async () => {
    const path = join(work, 'argv.jsonl');
    await record(path);
    const text = readFileSync(path, 'utf8');
    for (const secret of [PASSWORD, APP_SECRET, TOKEN]) expect(text).not.toContain(secret);
    const capture = await readCapture(path);
    const masked = [...client(`${upstream.origin}/v3/auth/tokens`).slice(0, 4), '--os-password', '***', '--os-application-credential-secret=***', '--os-token', '***'];
    expect(capture.header.argv).toEqual(masked);
    expect(capture.exchanges).toHaveLength(1);
    const source = capture.exchanges[0]!.source;
    expect(source).toMatchObject({ kind: 'process', isClient: true, cmdline: masked });
    // The command itself ran with the real argv: the server got the request.
    expect(upstream.seen.at(-1)?.body.toString()).toBe('password=form-secret-1&x=1');
  });
});
