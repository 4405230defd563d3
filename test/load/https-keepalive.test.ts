/**
 * Issue 8: under `record`, 64 clients × 100 HTTPS keep-alive requests through CONNECT, LOAD_RUNS
 * times (default 20): every request answered, none reset, one completed record per request.
 * Slow (minutes): run with `npm run test:load`, not part of `npm test`.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCapture } from '../../src/model/capture.js';
import { runCli } from '../helpers/flowscribe-cli.js';
import { UPSTREAM_CERT_PATH } from '../helpers/loopback-upstream.js';
import { startUpstream } from '../helpers/upstream.js';

const CLIENT = fileURLToPath(new URL('https-keepalive-client.mjs', import.meta.url));
const RUNS = Number(process.env.LOAD_RUNS ?? 20);
const CLIENTS = 64;
const REQUESTS = 100;

describe('HTTPS keep-alive load under record', () => {
  it.each(Array.from({ length: RUNS }, (_, i) => i + 1))('run %i: 64 × 100 requests, 0 errors, records = requests', { timeout: 600_000 }, async (run) => {
    const upstream = await startUpstream((_req, res) => res.end('{"ok": true}'), { tls: true });
    try {
      const dir = mkdtempSync(join(tmpdir(), 'flowscribe-load-'));
      const capturePath = join(dir, 'load.jsonl');
      const started = Date.now();
      const env = { ...process.env, NODE_EXTRA_CA_CERTS: UPSTREAM_CERT_PATH, LOAD_CLIENTS: String(CLIENTS), LOAD_REQUESTS: String(REQUESTS) };
      const result = await runCli(['record', '-o', capturePath, '--ca-dir', join(dir, 'ca'), '--', process.execPath, CLIENT, upstream.origin], { env, cwd: dir });
      const seconds = (Date.now() - started) / 1000;
      const summary = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as { ok: number; errors: string[] };
      console.info(`run ${run}: ${summary.ok} ok, ${summary.errors?.length} errors, ${upstream.seen.length} at the server, ${seconds.toFixed(1)} s`, summary.errors?.slice(0, 5));
      expect(summary.errors, result.stderr).toEqual([]);
      expect(summary.ok).toBe(CLIENTS * REQUESTS);
      expect(result.code).toBe(0);
      const capture = await readCapture(capturePath);
      expect(capture.exchanges).toHaveLength(CLIENTS * REQUESTS);
      expect(capture.exchanges.filter((e) => e.state !== 'completed').map((e) => `${e.state} ${e.request.url}`)).toEqual([]);
      expect(upstream.seen).toHaveLength(CLIENTS * REQUESTS);
    } finally {
      await upstream.close();
    }
  });
});
