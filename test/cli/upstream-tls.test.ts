/**
 * Upstream TLS with a cloud's own CA (a private CA made at test time), through the real CLI with
 * real clients: the CA settings the command arrived with are trusted by the recorder upstream and
 * kept for the command, so each client sees the same thing directly and through `record`.
 * Also `--upstream-ca`, `--insecure-upstream`, the timeouts and the one-line advice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { createRequire } from 'node:module';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCapture } from '../../src/model/capture.js';
import type { Capture } from '../../src/model/exchange.js';
import { run, type ClientResult } from '../helpers/clients.js';
import { runCli } from '../helpers/flowscribe-cli.js';
import { makePrivateCa, type PrivateCa } from '../helpers/private-ca.js';

const PYTHON = '/usr/bin/python3';
const CA_VARIABLES = ['REQUESTS_CA_BUNDLE', 'OS_CACERT', 'SSL_CERT_FILE', 'CURL_CA_BUNDLE', 'NODE_EXTRA_CA_CERTS'];
const work = mkdtempSync(join(tmpdir(), 'flowscribe-upstream-tls-'));
const caDir = join(work, 'flowscribe-ca');
let ca: PrivateCa;
let server: https.Server;
let origin: string;
let hits = 0;
let silent: net.Server;
let silentPort: number;
const silentSockets = new Set<net.Socket>();
let counter = 0;

/** The environment without any CA or proxy setting (a machine that knows nothing of the private CA). */
function bareEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of [...CA_VARIABLES, 'no_proxy', 'NO_PROXY', 'http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY']) delete env[name];
  return { ...env, ...extra };
}

/** A stand-in `openstack` (a real requests client) that trusts exactly its `--os-cacert FILE`. */
function writeOpenstackScript(): void {
  mkdirSync(join(work, 'bin'));
  writeFileSync(join(work, 'bin', 'openstack'), [
    '#!/usr/bin/python3',
    'import sys, requests',
    "args = sys.argv[1:]; cacert = args[args.index('--os-cacert') + 1]",
    'r = requests.get(args[-1], verify=cacert)',
    'print(r.status_code, r.text)',
    '',
  ].join('\n'));
  chmodSync(join(work, 'bin', 'openstack'), 0o755);
}

beforeAll(async () => {
  ca = makePrivateCa();
  server = https.createServer({ cert: ca.serverCert, key: ca.serverKey }, (req, res) => {
    hits += 1;
    if (req.url?.startsWith('/hang')) return;
    const body = JSON.stringify({ seen: `${req.method} ${req.url}` });
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Accepts TCP connections and never says a word: a TLS handshake that never completes.
  silent = net.createServer((socket) => silentSockets.add(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentPort = (silent.address() as AddressInfo).port;
  writeOpenstackScript();
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  for (const socket of silentSockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

interface Recorded extends ClientResult {
  stderrText: string;
  capture: Capture | null;
}

/** `flowscribe record [flags] -- command` with `env` for both flowscribe and the command. */
async function record(command: string[], env: NodeJS.ProcessEnv, flags: string[] = [], asProgram = false): Promise<Recorded> {
  counter += 1;
  const path = join(work, `capture-${counter}.jsonl`);
  const r = await runCli(['record', '--ca-dir', caDir, '-o', path, ...flags, '--', ...command], { env, cwd: work, asProgram });
  const capture = existsSync(path) ? await readCapture(path) : null;
  return { code: r.code ?? -1, stdout: Buffer.from(r.stdout), stderr: r.stderr, stderrText: r.stderr, capture };
}

const clients: Array<{ name: string; env: (caPath: string) => NodeJS.ProcessEnv; argv: (url: string) => string[] }> = [
  { name: 'curl with CURL_CA_BUNDLE', env: (p) => ({ CURL_CA_BUNDLE: p }), argv: (url) => ['curl', '-sS', url] },
  {
    name: 'python3-requests with REQUESTS_CA_BUNDLE',
    env: (p) => ({ REQUESTS_CA_BUNDLE: p }),
    argv: (url) => [PYTHON, '-c', 'import sys, requests; r = requests.get(sys.argv[1]); print(r.status_code, r.text)', url],
  },
  {
    name: 'python3-requests with OS_CACERT (as openstackclient reads it)',
    env: (p) => ({ OS_CACERT: p }),
    argv: (url) => [PYTHON, '-c', 'import os, sys, requests; r = requests.get(sys.argv[1], verify=os.environ["OS_CACERT"]); print(r.status_code, r.text)', url],
  },
  {
    name: 'an openstack client with --os-cacert FILE',
    env: () => ({}),
    argv: (url) => [join(work, 'bin', 'openstack'), '--os-cacert', ca.caPath, url],
  },
];

describe('a cloud behind a private CA: direct and through record give the same result', () => {
  for (const client of clients) {
    it(client.name, async () => {
      const env = bareEnv(client.env(ca.caPath));
      const url = `${origin}/${counter}`;
      const before = hits;
      const direct = await run(client.argv(url)[0]!, client.argv(url).slice(1), env);
      expect(hits - before).toBe(1);
      expect(direct.code).toBe(0);
      const through = await record(client.argv(url), env);
      expect(hits - before).toBe(2);
      expect({ code: through.code, stdout: through.stdout.toString() }).toEqual({ code: direct.code, stdout: direct.stdout.toString() });
      const exchange = through.capture!.exchanges[0]!;
      expect(exchange).toMatchObject({ state: 'completed', request: { url } });
      expect(through.capture!.header.upstreamTls).toEqual({ verify: true, caFiles: [expect.objectContaining({ path: ca.caPath })] });
      expect(through.stderrText).not.toMatch(/TLS certificate/);
    });
  }
});

describe('NODE_EXTRA_CA_CERTS, which the launcher keeps from Node\'s start and puts back', () => {
  it('a Node client (undici, proxy from the environment): direct and through the installed launcher give the same result', async () => {
    const undici = createRequire(import.meta.url).resolve('undici');
    const script = `const u = require(${JSON.stringify(undici)});
u.setGlobalDispatcher(new u.EnvHttpProxyAgent());
u.fetch(process.argv[1]).then(async (r) => console.log(r.status, await r.text()), (e) => { console.log(String(e.cause ?? e)); process.exitCode = 3; });`;
    const env = bareEnv({ NODE_EXTRA_CA_CERTS: ca.caPath });
    const url = `${origin}/node-${counter}`;
    const direct = await run(process.execPath, ['-e', script, url], env);
    expect(direct).toMatchObject({ code: 0, stdout: Buffer.from(`200 ${JSON.stringify({ seen: `GET /node-${counter}` })}\n`) });
    const through = await record([process.execPath, '-e', script, url], env, [], true);
    expect({ code: through.code, stdout: through.stdout.toString() }).toEqual({ code: direct.code, stdout: direct.stdout.toString() });
    expect(through.capture!.exchanges[0]).toMatchObject({ state: 'completed', request: { url } });
    expect(through.capture!.header.upstreamTls).toEqual({ verify: true, caFiles: [{ path: ca.caPath, from: 'NODE_EXTRA_CA_CERTS' }] });
  });
});

describe('upstream trust flags', () => {
  it('without the CA: the client gets 502 and flowscribe says once per host which flag fixes it', async () => {
    const r = await record(['curl', '-sS', `${origin}/a`, `${origin}/b`], bareEnv());
    expect(r.stdout.toString()).toMatch(/^flowscribe: 127\.0\.0\.1:\d+: UNABLE_TO_VERIFY_LEAF_SIGNATURE/);
    const advice = r.stderrText.split('\n').filter((l) => l.includes('cannot verify the TLS certificate'));
    expect(advice).toHaveLength(1);
    expect(advice[0]).toContain('--upstream-ca FILE');
    expect(advice[0]).toContain('--insecure-upstream');
    expect(r.capture!.exchanges.map((e) => e.state)).toEqual(['failed', 'failed']);
  });

  it('--upstream-ca FILE: trusted by the recorder only (the command never needed it)', async () => {
    const r = await record(['curl', '-sS', `${origin}/flag`], bareEnv(), ['--upstream-ca', ca.caPath]);
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe(JSON.stringify({ seen: 'GET /flag' }));
    expect(r.capture!.header.upstreamTls).toEqual({ verify: true, caFiles: [{ path: ca.caPath, from: '--upstream-ca' }] });
  });

  it('--insecure-upstream: no verification, a warning line, noted in the header', async () => {
    const r = await record(['curl', '-sS', `${origin}/insecure`], bareEnv(), ['--insecure-upstream']);
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe(JSON.stringify({ seen: 'GET /insecure' }));
    expect(r.stderrText).toMatch(/^flowscribe: --insecure-upstream: upstream TLS certificates are NOT verified/m);
    expect(r.capture!.header.upstreamTls).toEqual({ verify: false, caFiles: [] });
  });

  it('--connect-timeout: a handshake that never completes gives 504 and names the flag', async () => {
    const started = Date.now();
    const r = await record(['curl', '-sS', '-o', '/dev/null', '-w', '%{http_code}', `https://127.0.0.1:${silentPort}/`], bareEnv(), ['--connect-timeout', '0.5']);
    expect(r.stdout.toString()).toBe('504');
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(r.capture!.exchanges[0]).toMatchObject({ state: 'failed', error: { code: 'ETIMEDOUT' } });
    expect(r.stderrText).toMatch(/--connect-timeout SECONDS/);
  });

  it('--upstream-timeout: an upstream that never answers gives 504 and names the flag', async () => {
    const r = await record(['curl', '-sS', '-o', '/dev/null', '-w', '%{http_code}', `${origin}/hang`], bareEnv(), ['--upstream-ca', ca.caPath, '--upstream-timeout', '0.5']);
    expect(r.stdout.toString()).toBe('504');
    expect(r.stderrText).toMatch(/--upstream-timeout SECONDS/);
  });

  it('a bad flag value is one line naming it, exit 2, and nothing runs', async () => {
    for (const [flags, message] of [
      [['--upstream-ca', join(work, 'missing.pem')], /^flowscribe: --upstream-ca \S+missing\.pem: cannot read .*ENOENT/],
      [['--upstream-ca', join(work, 'bin', 'openstack')], /^flowscribe: --upstream-ca \S+: \S+ holds no PEM certificate/],
      [['--upstream-timeout', '0'], /^flowscribe: --upstream-timeout 0: not a number of seconds/],
      [['--connect-timeout', 'soon'], /^flowscribe: --connect-timeout soon: not a number of seconds/],
    ] as const) {
      const marker = join(work, `ran-${counter}`);
      const r = await record(['touch', marker], bareEnv(), [...flags]);
      expect(r.code).toBe(2);
      expect(r.stderrText).toMatch(message);
      expect(existsSync(marker)).toBe(false);
    }
  });
});
