import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { readCapture } from '../../src/model/capture.js';
import type { Capture, ExchangeRecord } from '../../src/model/exchange.js';
import { runCli } from '../helpers/flowscribe-cli.js';
import { startJsonUpstream, UPSTREAM_CERT_PATH, type JsonUpstream } from '../helpers/loopback-upstream.js';

const PYTHON = '/usr/bin/python3';
const work = mkdtempSync(join(tmpdir(), 'flowscribe-record-'));
const caDir = join(work, 'ca');
let http: JsonUpstream;
let https: JsonUpstream;
let env: NodeJS.ProcessEnv;
let counter = 0;

beforeAll(async () => {
  [http, https] = await Promise.all([startJsonUpstream('http'), startJsonUpstream('https')]);
  env = {
    ...process.env,
    // Set as on a developer machine: flowscribe must remove them for the command.
    no_proxy: '127.0.0.1,localhost',
    NO_PROXY: '127.0.0.1,localhost',
    OS_AUTH_URL: 'http://127.0.0.1:5000/v3',
    OS_USERNAME: 'admin',
    OS_PASSWORD: 'hunter2-secret',
  };
});

afterAll(async () => {
  await Promise.all([http.close(), https.close()]);
});

function capturePath(): string {
  counter += 1;
  return join(work, `capture-${counter}.jsonl`);
}

/** Records `command` into a fresh capture and reads it back (validated against the schema). */
async function record(command: string[], flags: string[] = [], input?: string) {
  const path = capturePath();
  // The recorder (not the command) must trust the test upstream's certificate.
  const trust = ['--upstream-ca', UPSTREAM_CERT_PATH];
  const result = await runCli(['record', '--ca-dir', caDir, '-o', path, ...trust, ...flags, '--', ...command], { env, cwd: work, input });
  const capture = existsSync(path) ? await readCapture(path) : null;
  return { ...result, path, capture };
}

function only(capture: Capture | null): ExchangeRecord {
  expect(capture?.exchanges).toHaveLength(1);
  return capture!.exchanges[0]!;
}

function completed(exchange: ExchangeRecord) {
  if (exchange.state !== 'completed') throw new Error(`exchange ${exchange.seq} is ${exchange.state}`);
  return exchange;
}

describe('flowscribe record', () => {
  it('records curl over HTTP: header, exchange as the server saw it, source, stdout, exit code', async () => {
    const argv = ['curl', '-s', '-X', 'POST', '-H', 'Content-Type: application/json', '--data', '{"name":"cirros"}', `${http.origin}/v2/images?x=1`];
    const r = await record(argv);
    const seen = http.seen.at(-1)!;
    const sent = http.sent.at(-1)!;
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(sent.body); // passed through to flowscribe's stdout
    const capture = r.capture!;
    expect(capture.header).toMatchObject({ argv, cwd: work, environment: { OS_AUTH_URL: 'http://127.0.0.1:5000/v3', OS_USERNAME: 'admin', OS_PASSWORD: '***' } });
    expect(readFileSync(r.path, 'utf8')).not.toContain('hunter2-secret');
    const ex = completed(only(capture));
    expect(ex.request.method).toBe('POST');
    expect(ex.request.url).toBe(`${http.origin}/v2/images?x=1`);
    expect(ex.request.body.data).toBe(seen.body.toString('utf8'));
    expect(ex.request.headers.find(([n]) => n === 'Content-Type')?.[1]).toBe('application/json');
    expect([ex.response.statusCode, ex.response.statusMessage, ex.response.body.data]).toEqual([201, 'CREATED', sent.body]);
    expect(ex.source).toMatchObject({ kind: 'process', isClient: true, comm: 'curl', cmdline: argv });
    expect(capture.trailer).toMatchObject({ exit: { kind: 'exited', code: 0 }, exchangeCount: 1, stdout: { data: sent.body } });
    expect(r.stderr).toBe(`flowscribe: 1 exchange → ${basename(r.path)}\n`); // relative to the cwd
  });

  it('records curl over HTTPS through CONNECT, trusting our CA without flags; passes the exit code on', async () => {
    const r = await record(['sh', '-c', `curl -sS ${https.origin}/v3/auth/tokens && exit 7`]);
    expect(r.code).toBe(7);
    const ex = completed(only(r.capture));
    expect(ex.request.url).toBe(`${https.origin}/v3/auth/tokens`);
    expect(ex.response.body.data).toBe(https.sent.at(-1)!.body);
    // curl is a child of sh, the wrapped command: still the client.
    expect(ex.source).toMatchObject({ kind: 'process', isClient: true, comm: 'curl' });
    expect(r.capture!.trailer?.exit).toEqual({ kind: 'exited', code: 7 });
  });

  it('records Python requests (Debian python3-requests) over HTTP and HTTPS', async () => {
    const script = [
      'import requests',
      `r = requests.put("${http.origin}/v1/AUTH_x/images/obj", data=b"chunk-of-image")`,
      'print(r.status_code, r.reason)',
      `r = requests.get("${https.origin}/v2/images")`,
      'print(r.status_code, r.json()["seen"])',
    ].join('\n');
    const r = await record([PYTHON, '-c', script]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('201 CREATED\n200 GET /v2/images\n');
    const [put, get] = r.capture!.exchanges.map(completed);
    expect(put?.request.body.data).toBe('chunk-of-image');
    expect(put?.response.statusMessage).toBe('CREATED');
    expect(get?.request.url).toBe(`${https.origin}/v2/images`);
    for (const ex of [put, get]) expect(ex?.source).toMatchObject({ kind: 'process', isClient: true, comm: 'python3', cmdline: [PYTHON, '-c', script] });
    expect(r.capture!.trailer?.stdout?.data).toBe(r.stdout);
  });

  it('records Node fetch through a proxy agent that follows the environment', async () => {
    const undici = createRequire(import.meta.url).resolve('undici');
    const script = `const u = require(${JSON.stringify(undici)});
u.setGlobalDispatcher(new u.EnvHttpProxyAgent());
(async () => { for (const url of [${JSON.stringify(`${http.origin}/a`)}, ${JSON.stringify(`${https.origin}/b`)}]) {
  const res = await u.fetch(url); console.log(res.status, await res.text()); } })();`;
    const r = await record(['node', '-e', script]);
    expect(r.code).toBe(0);
    const exchanges = r.capture!.exchanges.map(completed);
    expect(exchanges.map((e) => e.request.url)).toEqual([`${http.origin}/a`, `${https.origin}/b`]);
    expect(exchanges.map((e) => e.source)).toMatchObject([
      { kind: 'process', isClient: true, comm: 'node' },
      { kind: 'process', isClient: true, comm: 'node' },
    ]);
    expect(r.stdout.split('\n').slice(0, 2)).toEqual(exchanges.map((e) => `${e.response.statusCode} ${e.response.body.data}`));
  });

  it('gives the command proxy and CA variables, overriding presets, without no_proxy', async () => {
    const r = await record([PYTHON, '-c', 'import os, json; print(json.dumps(dict(os.environ)))']);
    const seen = JSON.parse(r.stdout) as Record<string, string>;
    const proxy = `http://${r.capture!.header.listeners[0]!.host}:${r.capture!.header.listeners[0]!.port}`;
    for (const v of ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY']) expect(seen[v]).toBe(proxy);
    for (const v of ['REQUESTS_CA_BUNDLE', 'OS_CACERT', 'SSL_CERT_FILE', 'CURL_CA_BUNDLE', 'NODE_EXTRA_CA_CERTS']) {
      expect(seen[v]).toBe(join(caDir, 'ca-bundle.pem'));
    }
    expect(seen).not.toHaveProperty('no_proxy');
    expect(seen).not.toHaveProperty('NO_PROXY');
    expect(seen.OS_PASSWORD).toBe('hunter2-secret'); // masked in the capture, not for the command
    const bundle = readFileSync(join(caDir, 'ca-bundle.pem'), 'utf8');
    expect(bundle.endsWith(readFileSync(join(caDir, 'certs', 'ca.pem'), 'utf8'))).toBe(true);
  });

  it('shows a client rejecting the recorder\'s certificate as a warning line', async () => {
    const r = await record(['curl', '-sS', '--cacert', '/etc/ssl/certs/ca-certificates.crt', `${https.origin}/x`]);
    expect(r.code).toBe(60); // curl: peer certificate cannot be authenticated
    // curl shares the terminal's stderr and may write its own line in pieces around ours: no anchors.
    expect(r.stderr).toMatch(/flowscribe: [^\n]*unknown ca/);
    expect(r.capture!.trailer).toMatchObject({ exit: { kind: 'exited', code: 60 }, exchangeCount: 0 });
  });

  it('keeps --body-limit bytes of each body', async () => {
    const r = await record(['curl', '-s', '--data-binary', 'x'.repeat(3000), `${http.origin}/big`], ['--body-limit', '1k']);
    const ex = completed(only(r.capture));
    expect(ex.request.body).toMatchObject({ sizeBytes: 3000, truncatedBytes: 3000 - 1024, data: 'x'.repeat(1024) });
  });

  it('gives the command flowscribe\'s stdin, and keeps full bodies in --bodies-dir', async () => {
    const r = await record(['curl', '-s', '--data-binary', '@-', `${http.origin}/upload`], ['--bodies-dir', 'bodies', '--body-limit', '4'], 'from stdin');
    expect(http.seen.at(-1)!.body.toString()).toBe('from stdin');
    const ex = completed(only(r.capture));
    expect(ex.request.body).toMatchObject({ data: 'from', truncatedBytes: 6, file: `bodies/${ex.request.body.sha256}` });
    expect(readFileSync(join(work, 'bodies', ex.request.body.sha256), 'utf8')).toBe('from stdin');
  });

  it('prints the routing lines of --listen listeners on stderr', async () => {
    const r = await record(['true'], ['--listen', 'glance-api=0', '--service', 'swift-proxy-server=0']);
    expect(r.code).toBe(0);
    const listeners = r.capture!.header.listeners;
    expect(listeners.map((l) => l.label)).toEqual(['default', 'glance-api', 'swift-proxy-server']);
    const glance = listeners[1]!;
    expect(r.stderr).toContain(`export http_proxy=http://127.0.0.1:${glance.port}\n`);
    expect(r.stderr).toContain(`Environment="HTTPS_PROXY=http://127.0.0.1:${glance.port}"\n`);
    expect(r.stderr).toContain(`export REQUESTS_CA_BUNDLE=${join(caDir, 'ca-bundle.pem')}\n`);
    expect(r.stderr).toContain('UnsetEnvironment=no_proxy NO_PROXY\n');
    expect(r.stdout).toBe('');
  });

  it('the launcher itself starts node with its malloc settings, and runs the command without them', async () => {
    const { spawnSync } = await import('node:child_process');
    const bin = new URL('../../bin/flowscribe', import.meta.url).pathname;
    // Executed as a program, as an installed `flowscribe` is: the kernel reads the shebang.
    // The command's parent is the recorder's node process: its command line shows its V8 settings.
    const script = 'env; tr "\\0" " " < /proc/$PPID/cmdline';
    const r = spawnSync(bin, ['record', '-o', join(work, 'launcher.jsonl'), '--', 'sh', '-c', script], { env, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('OS_AUTH_URL=');
    expect(r.stdout).not.toMatch(/^MALLOC_/m);
    // `record` starts with every run: no V8 flag, which would cost Node its built-ins' code cache.
    expect(r.stdout).toMatch(/^node \S*bin\/flowscribe record /m);
  });

  it('the launcher starts the recorder without NODE_EXTRA_CA_CERTS, which it still reads and the command still gets', async () => {
    const { spawnSync } = await import('node:child_process');
    const bin = new URL('../../bin/flowscribe', import.meta.url).pathname;
    // The recorder's initial environment (what Node read at its start) is its /proc environ.
    const script = 'env; echo ---; tr "\\0" "\\n" < /proc/$PPID/environ';
    const path = join(work, 'launcher-ca.jsonl');
    const r = spawnSync(bin, ['record', '--ca-dir', caDir, '-o', path, '--', 'sh', '-c', script], {
      env: { ...env, NODE_EXTRA_CA_CERTS: UPSTREAM_CERT_PATH },
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    const [command, recorder] = r.stdout.split('---\n') as [string, string];
    expect(recorder).toContain('OS_AUTH_URL=');
    expect(recorder).not.toMatch(/^NODE_EXTRA_CA_CERTS=/m);
    expect(command).toMatch(new RegExp(`^NODE_EXTRA_CA_CERTS=${join(caDir, 'ca-bundle-')}[0-9a-f]{12}\\.pem$`, 'm'));
    expect(command).not.toMatch(/FLOWSCRIBE_NODE_EXTRA_CA_CERTS/);
    // Read all the same: trusted upstream, kept in the command's bundle.
    const capture = await readCapture(path);
    expect(capture.header.upstreamTls?.caFiles).toContainEqual({ path: UPSTREAM_CERT_PATH, from: 'NODE_EXTRA_CA_CERTS' });
  });

  it('the launcher starts `flowscribe proxy` with a small young generation and heap limit, and one malloc arena', async () => {
    const { spawn } = await import('node:child_process');
    const bin = new URL('../../bin/flowscribe', import.meta.url).pathname;
    const proxy = spawn(bin, ['proxy', '-o', join(work, 'launcher-proxy.jsonl'), '--ca-dir', caDir], { env, stdio: ['ignore', 'pipe', 'ignore'] });
    await new Promise((resolve) => proxy.stdout.once('data', resolve)); // listening
    // sh execs node: the spawned process is the recorder itself.
    const cmdline = readFileSync(`/proc/${proxy.pid}/cmdline`, 'utf8').split('\0').join(' ');
    const environ = readFileSync(`/proc/${proxy.pid}/environ`, 'utf8').split('\0'); // as glibc read it at the start
    proxy.kill('SIGTERM');
    await new Promise((resolve) => proxy.once('exit', resolve));
    expect(cmdline).toMatch(/^node --max-semi-space-size=4 --max-old-space-size=1024 \S*bin\/flowscribe proxy /);
    expect(environ).toContain('MALLOC_ARENA_MAX=1');
  });
});
