/**
 * Acceptance 3 and 4 with the built recorder in a child process: big streamed bodies arrive intact,
 * 400 concurrent exchanges give 400 records, memory stays bounded against slow peers over HTTP and
 * HTTPS, SIGKILL leaves a valid capture, and the recorder keeps the user's stdout/stderr clean.
 * The four 512 MiB transfers run concurrently, each paced at 20 MB/s (≥ 27 s); the generous
 * timeouts are for a 2-core machine busy with other work (then they take 60–120 s).
 */
import { describe, expect, it } from 'vitest';
import http, { type IncomingMessage, type Server } from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { readCapture, parseRecord } from '../../src/model/capture.js';
import { curl } from '../helpers/clients.js';
import { startChildRecorder, type ChildRecorder } from '../helpers/child-recorder.js';
import { TEST_CA_DIR } from '../helpers/recording.js';
import { MiB, patternSha256, patternStream, proxiedRequest, readThrottled } from '../helpers/streams.js';
import { createUpstreamServer, UPSTREAM_CERT } from '../helpers/upstream.js';

const RATE = 20e6; // bytes per second of the slow peer
/** Registers clean-up for the current test (tests below run concurrently, so no shared list). */
type Cleanup = (fn: () => void | Promise<void>) => void;

/** `/upload` reads at `readRate` and answers `{size, sha256}`; `/download/N` sends N pattern bytes. */
async function bigUpstream(cleanup: Cleanup, tls: boolean, readRate = Infinity): Promise<{ origin: string; server: Server }> {
  const server = createUpstreamServer(tls, (req, res) => {
    const size = Number(req.url?.split('/')[2]);
    if (req.url?.startsWith('/download/')) {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': size });
      void pipeline(patternStream(size), res).catch(() => undefined);
      return;
    }
    readThrottled(req, readRate).then(
      (got) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(got));
      },
      () => res.destroy(), // the client went away
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup(() => {
    server.close();
    server.closeAllConnections();
  });
  return { origin: `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function recorder(cleanup: Cleanup): Promise<{ rec: ChildRecorder; capturePath: string }> {
  const capturePath = join(mkdtempSync(join(tmpdir(), 'flowscribe-load-')), 'capture.jsonl');
  const rec = await startChildRecorder({ capturePath, caDir: TEST_CA_DIR, upstreamCaPems: [UPSTREAM_CERT] });
  cleanup(() => {
    rec.child.kill('SIGKILL');
  });
  return { rec, capturePath };
}

function responseOf(req: http.ClientRequest): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => req.once('response', resolve).once('error', reject));
}

async function upload(rec: ChildRecorder, url: string, size: number): Promise<{ size: number; sha256: string }> {
  const req = await proxiedRequest(rec.port, url, { method: 'PUT', headers: { 'Content-Length': size }, caPem: rec.caPem });
  const response = responseOf(req);
  response.catch(() => undefined); // a failed upload is reported by pipeline()
  await pipeline(patternStream(size), req);
  const res = await response;
  expect(res.statusCode).toBe(200);
  return JSON.parse((await res.toArray()).join('')) as { size: number; sha256: string };
}

async function download(rec: ChildRecorder, url: string, rate: number): Promise<{ size: number; sha256: string }> {
  const req = await proxiedRequest(rec.port, url, { method: 'GET', caPem: rec.caPem });
  const response = responseOf(req);
  req.end();
  return readThrottled(await response, rate);
}

describe('big bodies and many clients', () => {
  it('a 200 MiB streamed PUT arrives intact; the capture holds its size and hash', async ({ onTestFinished }) => {
    const { rec, capturePath } = await recorder(onTestFinished);
    const upstream = await bigUpstream(onTestFinished, false);
    const size = 200 * MiB;
    const got = await upload(rec, `${upstream.origin}/upload`, size);
    expect(got).toEqual({ size, sha256: patternSha256(size) });
    expect(await rec.stop()).toBe(0);
    const ex = (await readCapture(capturePath)).exchanges[0]!;
    expect(ex.request.body).toMatchObject({ sizeBytes: size, sha256: got.sha256, truncatedBytes: size - MiB });
  });

  it('20 concurrent clients × 20 requests → exactly 400 exchange records', async ({ onTestFinished }) => {
    const { rec, capturePath } = await recorder(onTestFinished);
    const upstream = await bigUpstream(onTestFinished, false);
    const client = async (c: number): Promise<void> => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      for (let i = 0; i < 20; i++) {
        const url = `${upstream.origin}/upload?client=${c}&i=${i}`;
        const req = http.request({ host: '127.0.0.1', port: rec.port, method: 'POST', path: url, agent, headers: { Host: new URL(url).host } });
        const res = responseOf(req);
        req.end(`client ${c} request ${i}`);
        expect((await res).statusCode).toBe(200);
        await (await res).toArray();
      }
      agent.destroy();
    };
    await Promise.all(Array.from({ length: 20 }, (_, c) => client(c)));
    expect(await rec.stop()).toBe(0);
    const capture = await readCapture(capturePath);
    expect(capture.exchanges).toHaveLength(400);
    expect(capture.exchanges.map((e) => e.seq)).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
    expect(capture.exchanges.every((e) => e.state === 'completed')).toBe(true);
    expect(capture.trailer?.exchangeCount).toBe(400);
  });
});

describe.concurrent('memory stays bounded against a slow peer (512 MiB, peak RSS < 100 MB)', () => {
  const size = 512 * MiB;
  it.for([
    ['http', 'upload'],
    ['https', 'upload'],
    ['http', 'download'],
    ['https', 'download'],
  ] as const)('%s %s', { timeout: 300_000 }, async ([scheme, direction], { onTestFinished }) => {
    const { rec, capturePath } = await recorder(onTestFinished);
    const tls = scheme === 'https';
    const upstream = await bigUpstream(onTestFinished, tls, direction === 'upload' ? RATE : Infinity);
    const got =
      direction === 'upload'
        ? await upload(rec, `${upstream.origin}/upload`, size)
        : await download(rec, `${upstream.origin}/download/${size}`, RATE);
    expect(got).toEqual({ size, sha256: patternSha256(size) });
    const peak = rec.peakRssBytes();
    expect(await rec.stop()).toBe(0);
    const ex = (await readCapture(capturePath)).exchanges[0]!;
    const body = direction === 'upload' ? ex.request.body : ex.response!.body;
    expect(body).toMatchObject({ sizeBytes: size, sha256: got.sha256 });
    console.info(`${scheme} ${direction} 512 MiB at ~20 MB/s: recorder peak RSS ${(peak / 1e6).toFixed(0)} MB`);
    expect(peak).toBeLessThan(100e6);
  });
});

describe('robustness', () => {
  it('SIGKILL mid-run leaves a capture whose every complete line parses and validates', async ({ onTestFinished }) => {
    const { rec, capturePath } = await recorder(onTestFinished);
    const upstream = await bigUpstream(onTestFinished, false);
    let stop = false;
    const loop = async (): Promise<void> => {
      while (!stop) await upload(rec, `${upstream.origin}/upload`, 300_000).catch(() => (stop = true));
    };
    const loops = Array.from({ length: 8 }, loop);
    await new Promise((r) => setTimeout(r, 1500));
    rec.child.kill('SIGKILL');
    await Promise.all(loops);
    const text = readFileSync(capturePath, 'utf8');
    const lines = text.split('\n');
    const complete = lines.slice(0, -1); // the part after the last newline is not a complete line
    expect(complete.length).toBeGreaterThan(5);
    complete.forEach((line, i) => parseRecord(line, `${capturePath}:${i + 1}`));
    const capture = await readCapture(capturePath);
    expect(capture.trailer).toBeNull();
    expect(capture.exchanges.length).toBe(complete.length - 1);
  });

  it('keeps stdout and stderr clean through refused upstreams and clients rejecting its certificate', async ({ onTestFinished }) => {
    const { rec } = await recorder(onTestFinished);
    const upstream = await bigUpstream(onTestFinished, true);
    expect((await curl(rec.proxyUrl, ['http://127.0.0.1:1/'])).stdout.toString()).toMatch(/ECONNREFUSED/);
    const untrusting = await curl(rec.proxyUrl, ['--cacert', '/dev/null', `${upstream.origin}/download/10`]);
    expect(untrusting.code).not.toBe(0);
    // Plain HTTP to a TLS port: the upstream hangs up, the client gets our 502.
    const reset = await curl(rec.proxyUrl, ['-i', `${upstream.origin.replace('https', 'http')}/download/10`]);
    expect(reset.stdout.toString()).toMatch(/^HTTP\/1\.1 502 /);
    expect(await rec.stop()).toBe(0);
    expect(rec.stderr()).toBe('');
    expect(rec.laterStdout()).toBe('');
  });
});
