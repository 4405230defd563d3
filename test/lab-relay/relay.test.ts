/**
 * The lab's always-on routing relay (lab/relay.mjs), with real parts on loopback: a real upstream,
 * Debian's python3-requests as the client (what OpenStack services use), and the real flowscribe
 * recorder. With no recorder the client sees through the relay exactly what it sees directly; with
 * a recorder on the service's listener the same request is recorded under the service's name —
 * also on a keep-alive connection opened before the recorder started, and on a connection opened
 * while it listens (piped to it whole: a large upload arrives and is recorded byte for byte).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCapture } from '../../src/model/capture.js';
import { python } from '../helpers/clients.js';
import { repoRoot } from '../helpers/lab-scripts.js';
import { startCli } from '../helpers/flowscribe-cli.js';
import { startJsonUpstream, type JsonUpstream } from '../helpers/loopback-upstream.js';
import { sha256 } from '../helpers/expect-exchange.js';

const work = mkdtempSync(join(tmpdir(), 'flowscribe-relay-'));
let upstream: JsonUpstream;
let relay: ChildProcess;
let routePort: number;
let recorderPort: number;
/** The recorder of the second test, stopped in afterAll too when that test fails early. */
let recorder: ChildProcess | undefined;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** A python-requests session doing each of `paths` (one keep-alive connection); `pause` waits for a line on stdin. */
const CLIENT = `
import json, sys, requests
s = requests.Session()
out = []
for step in json.loads(sys.argv[1]):
    if step == "pause":
        print("paused", flush=True); sys.stdin.readline(); continue
    r = s.post(step, json={"name": "x"}) if "post" in step else s.get(step)
    out.append([r.status_code, r.reason, r.text])
print(json.dumps(out), flush=True)
`;

function runClient(steps: string[], proxy: string | null): ChildProcess {
  const env = { PATH: process.env.PATH, ...(proxy ? { http_proxy: proxy, HTTP_PROXY: proxy } : {}) };
  return spawn('/usr/bin/python3', ['-c', CLIENT, JSON.stringify(steps)], { env, stdio: ['pipe', 'pipe', 'inherit'] });
}

function output(child: ChildProcess): Promise<string> {
  let text = '';
  child.stdout?.on('data', (c: Buffer) => (text += c.toString()));
  return new Promise((resolve) => child.on('close', () => resolve(text)));
}

beforeAll(async () => {
  upstream = await startJsonUpstream();
  [routePort, recorderPort] = [await freePort(), await freePort()];
  relay = spawn(process.execPath, [join(repoRoot, 'lab/relay.mjs'), '127.0.0.1', `nova-api=${routePort}:${recorderPort}`], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => relay.stdout?.on('data', (c: Buffer) => c.toString().includes('lab relay') && resolve()));
});

afterAll(() => {
  if (recorder && recorder.exitCode === null) recorder.kill('SIGKILL');
  relay.kill('SIGTERM');
  upstream.close();
});

describe('lab relay', () => {
  it('with no recorder, gives the client what it gets directly', async () => {
    const steps = [`${upstream.origin}/v2.1/servers`, `${upstream.origin}/v2.1/servers/post`];
    const direct = JSON.parse(await output(runClient(steps, null))) as unknown[][];
    const seenDirect = upstream.sent.length;
    const relayed = JSON.parse(await output(runClient(steps, `http://127.0.0.1:${routePort}`))) as unknown[][];
    // The upstream numbers its answers: compare without the counter.
    const strip = (r: unknown[][]) => r.map(([code, reason, text]) => [code, reason, String(text).replace(/"n":\d+/, '')]);
    expect(strip(relayed)).toEqual(strip(direct));
    expect(upstream.sent.length).toBe(seenDirect + 2);
  });

  it('sends requests through the recorder listening on the service port, also on an older keep-alive connection', async () => {
    const client = runClient([`${upstream.origin}/before`, 'pause', `${upstream.origin}/during`], `http://127.0.0.1:${routePort}`);
    const done = output(client);
    await new Promise<void>((resolve) => client.stdout?.on('data', (c: Buffer) => c.toString().includes('paused') && resolve()));
    const out = join(work, 'relay.jsonl');
    const rec = startCli(['proxy', '--ca-dir', join(work, 'ca'), '--listen', `nova-api=${recorderPort}`, '-o', out]);
    recorder = rec.child;
    await rec.waitFor('stdout', /listener nova-api/);
    client.stdin?.end('\n');
    const results = JSON.parse((await done).split('\n').filter(Boolean).pop() ?? '') as Array<[number, string, string]>;
    expect(results.map(([code]) => code)).toEqual([200, 200]);
    rec.child.kill('SIGTERM');
    expect((await rec.result).code).toBe(0);
    const capture = await readCapture(out);
    expect(capture.exchanges.map((e) => [e.request.url, e.source])).toEqual([
      [`${upstream.origin}/during`, { kind: 'listener', label: 'nova-api' }],
    ]);
    expect(capture.exchanges[0]?.response?.body.data).toBe(results[1]?.[2]);
  });

  it('pipes a connection opened while the recorder listens to it whole: an 8 MiB upload arrives and is recorded byte for byte', async () => {
    // One python-requests session: a large PUT, then a GET on the same keep-alive connection.
    const UPLOAD = `
import hashlib, json, random, sys, requests
body = random.Random(7).randbytes(8 << 20)
s = requests.Session()
a = s.put(sys.argv[1] + "/v1/AUTH_x/glance/image", data=body)
b = s.get(sys.argv[1] + "/after")
print(json.dumps([hashlib.sha256(body).hexdigest(), [a.status_code, a.reason, a.text], [b.status_code, b.reason, b.text]]), flush=True)
`;
    const run = (proxy: string | null) => {
      const env = { PATH: process.env.PATH, ...(proxy ? { http_proxy: proxy, HTTP_PROXY: proxy } : {}) };
      return output(spawn('/usr/bin/python3', ['-c', UPLOAD, upstream.origin], { env, stdio: ['ignore', 'pipe', 'inherit'] }));
    };
    const strip = (r: [string, ...unknown[][]]) => r.map((x) => (Array.isArray(x) ? [x[0], x[1], String(x[2]).replace(/"n":\d+/, '')] : x));
    const direct = JSON.parse(await run(null)) as [string, ...unknown[][]];
    const directSeen = upstream.seen.slice(-2);

    const out = join(work, 'piped.jsonl');
    const rec = startCli(['proxy', '--ca-dir', join(work, 'ca'), '--listen', `nova-api=${recorderPort}`, '-o', out]);
    recorder = rec.child;
    await rec.waitFor('stdout', /listener nova-api/);
    const relayed = JSON.parse(await run(`http://127.0.0.1:${routePort}`)) as [string, ...unknown[][]];
    // The relay still answers its own health check while the recorder listens.
    expect((await fetch(`http://127.0.0.1:${routePort}/healthcheck`)).status).toBe(200);
    rec.child.kill('SIGTERM');
    expect((await rec.result).code).toBe(0);

    expect(strip(relayed)).toEqual(strip(direct));
    const relayedSeen = upstream.seen.slice(-2);
    expect(relayedSeen.map((r) => [r.method, r.path, sha256(r.body)])).toEqual(directSeen.map((r) => [r.method, r.path, sha256(r.body)]));
    expect(sha256(relayedSeen[0]?.body ?? Buffer.alloc(0))).toBe(direct[0]);
    const capture = await readCapture(out);
    expect(capture.exchanges.map((e) => [e.request.method, new URL(e.request.url).pathname, e.source])).toEqual([
      ['PUT', '/v1/AUTH_x/glance/image', { kind: 'listener', label: 'nova-api' }],
      ['GET', '/after', { kind: 'listener', label: 'nova-api' }],
    ]);
    expect(capture.exchanges[0]?.request.body.sha256).toBe(direct[0]);
    expect(capture.exchanges[0]?.request.body.sizeBytes).toBe(8 << 20);
  });

  it('answers its health check and refuses other non-proxy requests', async () => {
    expect((await fetch(`http://127.0.0.1:${routePort}/healthcheck`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${routePort}/other`)).status).toBe(400);
  });
});
