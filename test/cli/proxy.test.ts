import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readCapture } from '../../src/model/capture.js';
import { runCli, startCli } from '../helpers/flowscribe-cli.js';
import { startJsonUpstream, UPSTREAM_CERT_PATH, type JsonUpstream } from '../helpers/loopback-upstream.js';

const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), 'flowscribe-proxy-'));
const caDir = join(work, 'ca');
let upstream: JsonUpstream;

beforeAll(async () => {
  upstream = await startJsonUpstream('https');
});
afterAll(() => upstream.close());

/** `export NAME=value` lines printed for one listener, as an environment. */
function exportsOf(stdout: string, label: string): Record<string, string> {
  const block = stdout.split('# route ').find((b) => b.includes(`(listener ${label} `)) ?? '';
  const env: Record<string, string> = {};
  for (const m of block.matchAll(/^export (\w+)=(.*)$/gm)) env[m[1]!] = m[2]!;
  return env;
}

describe('flowscribe proxy', () => {
  it('prints routing lines and records processes that use them, until SIGTERM', async () => {
    const out = join(work, 'proxy.jsonl');
    const proxy = startCli(['proxy', '--ca-dir', caDir, '--upstream-ca', UPSTREAM_CERT_PATH, '--listen', 'glance-api=0', '-o', out], {
      cwd: work,
    });
    const stdout = await proxy.waitFor('stdout', /listener glance-api [^]*UnsetEnvironment=no_proxy NO_PROXY\n/);
    const glance = exportsOf(stdout, 'glance-api');
    const main = exportsOf(stdout, 'default');
    expect(Object.keys(glance)).toEqual(['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY',
      'REQUESTS_CA_BUNDLE', 'OS_CACERT', 'SSL_CERT_FILE', 'CURL_CA_BUNDLE', 'NODE_EXTRA_CA_CERTS']);
    expect(glance.http_proxy).not.toBe(main.http_proxy);
    // Unrelated processes, routed only by the printed variables: one per listener, sharing the recorder.
    const { PATH } = process.env;
    const viaGlance = await run('curl', ['-sS', `${upstream.origin}/v2/images`], { env: { PATH, ...glance } });
    const viaMain = await run('curl', ['-sS', `${upstream.origin}/v3/auth/tokens`], { env: { PATH, ...main } });
    expect(viaGlance.stdout).toBe(upstream.sent.at(-2)!.body);
    expect(viaMain.stdout).toBe(upstream.sent.at(-1)!.body);
    proxy.child.kill('SIGTERM');
    const r = await proxy.result;
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('flowscribe: 2 exchanges → proxy.jsonl\n');

    const capture = await readCapture(out);
    expect(capture.header.argv).toBeNull();
    expect(capture.trailer).toMatchObject({ exit: null, stdout: null, exchangeCount: 2 });
    const [first, second] = capture.exchanges;
    expect(first).toMatchObject({ state: 'completed', request: { url: `${upstream.origin}/v2/images` }, source: { kind: 'listener', label: 'glance-api' } });
    expect(second).toMatchObject({ request: { url: `${upstream.origin}/v3/auth/tokens` }, source: { kind: 'process', comm: 'curl', isClient: false } });
  });
});

describe('flowscribe ca', () => {
  it('prints the CA certificate path, creating the CA (key 0600) on first use', async () => {
    const dir = join(work, 'fresh-ca');
    const r = await runCli(['ca', '--ca-dir', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${join(dir, 'certs', 'ca.pem')}\n`);
    expect(readFileSync(join(dir, 'certs', 'ca.pem'), 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(statSync(join(dir, 'keys', 'ca.private.key')).mode & 0o777).toBe(0o600);
    const again = await runCli(['ca', '--ca-dir', dir]);
    expect(again.stdout).toBe(r.stdout);
  });
});
