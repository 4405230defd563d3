/**
 * `flowscribe merge` with two real recorders on loopback, as on two hosts of a cloud: one records
 * the client (curl), the other records a service's own calls (the service routes its outbound
 * requests through that recorder's `svc-api` listener). The merged capture is one timeline in
 * which the service's calls fall inside the client requests that caused them.
 */
import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureParents } from '../../src/model/causality.js';
import { readCapture } from '../../src/model/capture.js';
import { parseConfig } from '../../src/model/config.js';
import type { Capture } from '../../src/model/exchange.js';
import { curl } from '../helpers/clients.js';
import { runCli } from '../helpers/flowscribe-cli.js';
import { fullDiagram } from '../helpers/mermaid-arrows.js';
import { startRecording } from '../helpers/recording.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';

/** Long enough that ms-precision wall anchors of the two recorders cannot reorder a call and its cause. */
const SERVICE_PAUSE_MS = 60;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let work: string;
let backend: Upstream;
let service: Upstream;
let clientCapture: string;
let serviceCapture: string;
let config: string;
const clientSaw: string[] = [];

/** A GET through a forward proxy (absolute-form request line), as a service routed by http_proxy does. */
function viaProxy(proxyPort: number, url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: proxyPort, path: url, headers: { Host: new URL(url).host, 'User-Agent': 'svc-api/1.0' } }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'flowscribe-merge-'));
  backend = await startUpstream((req, res) => {
    res.writeHead(200, 'OK', { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ backend: req.path }));
  });
  const serviceRecording = await startRecording({ header: { argv: null, cwd: work, environment: {} }, listeners: [{ label: 'svc-api', port: 0 }] });
  const svcPort = serviceRecording.recorder.listeners.find((l) => l.label === 'svc-api')?.port ?? 0;
  const calls: Record<string, string[]> = { '/a': ['/v1/one', '/v1/two'], '/b': ['/v1/three'] };
  service = await startUpstream((req, res: ServerResponse) => void (async () => {
    await pause(SERVICE_PAUSE_MS);
    const answers = [];
    for (const path of calls[req.path] ?? []) answers.push(await viaProxy(svcPort, `${backend.origin}${path}`));
    await pause(SERVICE_PAUSE_MS);
    res.writeHead(200, 'OK', { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ service: req.path, answers }));
  })());
  const clientRecording = await startRecording({ header: { argv: ['curl', `${service.origin}/a`], cwd: work, environment: {} } });
  for (const args of [[`${service.origin}/a`], ['-X', 'POST', '-d', 'x=1', `${service.origin}/b`]]) {
    clientSaw.push((await curl(clientRecording.proxyUrl, args)).stdout.toString('utf8'));
  }
  await clientRecording.finish();
  await serviceRecording.finish();
  clientCapture = clientRecording.capturePath;
  serviceCapture = serviceRecording.capturePath;
  config = join(work, 'flowscribe.config.json');
  // The service's address and its recorder's listener label name the same participant; the
  // in-process recorder attributes curl by its User-Agent (`curl`), which is the command's client.
  writeFileSync(config, JSON.stringify({ participants: { [new URL(service.origin).host]: 'svc-api', curl: 'curl-client' } }));
}, 60_000);

afterAll(async () => {
  await service?.close();
  await backend?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function merge(extra: string[] = []): Promise<Capture> {
  const out = join(work, `merged${extra.length}.jsonl`);
  const result = await runCli(['merge', clientCapture, serviceCapture, '-o', out, ...extra]);
  expect(result.stderr).toBe(`flowscribe: 5 exchanges from 2 recorders → ${out}\n`);
  expect(result.code).toBe(0);
  expect(statSync(out).mode & 0o777).toBe(0o600);
  return readCapture(out); // validates every line against the capture schema
}

describe('flowscribe merge of two recorders', () => {
  it('lays both recordings on one timeline, seq renumbered, each exchange naming its recorder', async () => {
    const merged = await merge();
    expect(merged.exchanges.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(merged.exchanges.map((e) => `${e.request.method} ${new URL(e.request.url).pathname}`)).toEqual(['GET /a', 'GET /v1/one', 'GET /v1/two', 'POST /b', 'GET /v1/three']);
    const fileOf = merged.exchanges.map((e) => e.recorder?.file);
    expect(fileOf).toEqual([clientCapture, serviceCapture, serviceCapture, clientCapture, serviceCapture]);
    const hosts = (await readCapture(clientCapture)).header.hostname;
    expect(hosts).toBeTruthy();
    expect(merged.exchanges.every((e) => e.recorder?.host === hosts)).toBe(true);
    expect(merged.header.argv).toEqual(['curl', `${service.origin}/a`]);
    expect(merged.trailer?.exchangeCount).toBe(5);
  });

  it('keeps what the client saw and the causes: the service\'s calls are children of the client requests', async () => {
    const merged = await merge();
    const seen = merged.exchanges.filter((e) => e.recorder?.file === clientCapture).map((e) => e.response?.body.data);
    expect(seen).toEqual(clientSaw);
    const parents = captureParents(merged, parseConfig(readFileSync(config, 'utf8'), config));
    expect([...parents]).toEqual([[2, 1], [3, 1], [5, 4]]);
  });

  it('keeps each recorder\'s own timings exactly (one offset per recorder)', async () => {
    const merged = await merge();
    const original = await readCapture(serviceCapture);
    const mergedService = merged.exchanges.filter((e) => e.recorder?.file === serviceCapture);
    const gaps = (starts: number[]) => starts.slice(1).map((s, i) => s - (starts[i] ?? 0));
    expect(gaps(mergedService.map((e) => e.timings.requestStart.ns))).toEqual(gaps(original.exchanges.map((e) => e.timings.requestStart.ns)));
  });

  it('--offset corrects a recorder\'s clock: +5 s moves the service\'s calls after the client\'s', async () => {
    const plain = await merge();
    const shifted = await merge(['--offset', `${serviceCapture}=+5`]);
    expect(shifted.exchanges.map((e) => new URL(e.request.url).pathname)).toEqual(['/a', '/b', '/v1/one', '/v1/two', '/v1/three']);
    const at = (c: Capture, path: string) => c.exchanges.find((e) => e.request.url.endsWith(path))?.timings.requestStart;
    expect(Date.parse(at(shifted, '/v1/one')?.at ?? '') - Date.parse(at(plain, '/v1/one')?.at ?? '')).toBe(5000);
    expect(at(shifted, '/a')?.at).toBe(at(plain, '/a')?.at);
  });

  it('renders like any other capture: the service is one participant, its calls between request and response', async () => {
    await merge();
    const page = join(work, 'merged.md');
    const run = await runCli(['render', join(work, 'merged0.jsonl'), '-o', page, '--config', config]);
    expect(run.code).toBe(0);
    const arrows = fullDiagram(readFileSync(page, 'utf8')).arrows.map((a) => `${a.from}>${a.to} ${a.label}`);
    const backendName = new URL(backend.origin).host;
    const client = 'curl-client';
    expect(arrows).toEqual([
      `${client}>svc-api GET /a`,
      `svc-api>${backendName} GET /v1/one`,
      `${backendName}>svc-api 200 OK /v1/one`,
      `svc-api>${backendName} GET /v1/two`,
      `${backendName}>svc-api 200 OK /v1/two`,
      `svc-api>${client} 200 OK /a`,
      `${client}>svc-api POST /b`,
      `svc-api>${backendName} GET /v1/three`,
      `${backendName}>svc-api 200 OK /v1/three`,
      `svc-api>${client} 200 OK /b`,
    ]);
  });

  it('refuses an --offset for a file it does not merge, and a bad offset (exit 2, one line)', async () => {
    for (const [spec, message] of [['nope.jsonl=1', 'nope.jsonl is not one of the captures to merge'], [`${serviceCapture}=soon`, 'not FILE=±SECONDS']]) {
      const result = await runCli(['merge', clientCapture, serviceCapture, '--offset', spec ?? '']);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain(message);
    }
  });
});
