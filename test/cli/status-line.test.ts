import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { formatBytes, statusText } from '../../src/cli/status-line.js';
import type { Recorder } from '../../src/capture/recorder-types.js';
import { makeExchange } from '../helpers/exchanges.js';
import { BIN, runCli } from '../helpers/flowscribe-cli.js';
import { startJsonUpstream, type JsonUpstream } from '../helpers/loopback-upstream.js';

const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), 'flowscribe-status-'));
const caDir = join(work, 'ca');
// Runs argv on a pseudo-terminal and prints everything it wrote there.
const ON_PTY = 'import pty, sys\npty.spawn(sys.argv[1:])\n';
let upstream: JsonUpstream;

beforeAll(async () => {
  upstream = await startJsonUpstream('http');
});
afterAll(() => upstream.close());

describe('the live status line', () => {
  it('is drawn with \\r on a terminal, then replaced by the summary', async () => {
    const args = ['record', '--ca-dir', caDir, '-o', join(work, 'tty.jsonl'), '--', 'curl', '-s', `${upstream.origin}/v2/images`];
    const { stdout } = await run('/usr/bin/python3', ['-c', ON_PTY, process.execPath, BIN, ...args], { cwd: work });
    expect(stdout).toContain(`\r\x1b[Kflowscribe: 1 exchange, `);
    expect(stdout).toContain(`; last: GET ${upstream.origin}/v2/images → 200`);
    expect(stdout).toMatch(/\r\x1b\[Kflowscribe: 1 exchange → tty\.jsonl\r?\n/);
  });

  it('is not drawn when stderr is not a terminal', async () => {
    const r = await runCli(['record', '--ca-dir', caDir, '-o', join(work, 'pipe.jsonl'), '--', 'curl', '-s', `${upstream.origin}/x`], { cwd: work });
    expect(r.stderr).toBe('flowscribe: 1 exchange → pipe.jsonl\n');
  });

  it('masks credentials in the last URL (the terminal or a CI log is an output too)', () => {
    const recorder = { exchangeCount: () => 2, bytesSeen: () => 1536 } as unknown as Recorder;
    const last = makeExchange({ seq: 2, url: 'http://k/v3?password=pw-1&token=tok-2&limit=1' });
    expect(statusText(recorder, last)).toBe('flowscribe: 2 exchanges, 1.5 KiB; last: GET http://k/v3?password=***&token=***&limit=1 → 200');
  });

  it('formats byte counts', () => {
    expect([formatBytes(0), formatBytes(1023), formatBytes(1536), formatBytes(5 * 1024 ** 3)]).toEqual(['0 B', '1023 B', '1.5 KiB', '5.0 GiB']);
  });
});
