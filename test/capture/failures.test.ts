/**
 * Failures stay visible and contained: unreachable/slow/broken/untrusted upstreams, clients that
 * go away, shutdown with exchanges in flight, and setup errors (port in use, unwritable capture).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRecorder } from '../../src/capture/recorder.js';
import { ensureCa } from '../../src/capture/proxy/ca.js';
import { UserError } from '../../src/errors.js';
import { curl } from '../helpers/clients.js';
import { only } from '../helpers/expect-exchange.js';
import { startRecording, TEST_CA_DIR } from '../helpers/recording.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';

let ok: Upstream;
let tls: Upstream;
beforeAll(async () => {
  ok = await startUpstream((_req, res) => res.end('fine'));
  tls = await startUpstream((_req, res) => res.end('secret'), { tls: true });
});
afterAll(async () => {
  await ok.close();
  await tls.close();
});

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

/** A TCP server that accepts and then does what `onSocket` says (nothing, by default). */
async function rawServer(onSocket: (s: import('node:net').Socket) => void = () => undefined): Promise<{ server: Server; port: number }> {
  const server = createServer(onSocket);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as import('node:net').AddressInfo).port };
}

describe('upstream failures', () => {
  it('refused → 502 with a one-line reason, failed record, and the proxy keeps serving', async () => {
    const rec = await startRecording();
    const { server, port } = await rawServer();
    server.close(); // the port is now (very likely) refused
    const refused = await curl(rec.proxyUrl, ['-i', `http://127.0.0.1:${port}/v3`]);
    const text = refused.stdout.toString();
    expect(text).toMatch(/^HTTP\/1\.1 502 Bad Gateway\r\n/);
    expect(text.split('\r\n\r\n')[1]).toMatch(/^flowscribe: 127\.0\.0\.1:\d+: ECONNREFUSED: [^\n]*\n$/);
    expect((await curl(rec.proxyUrl, [`${ok.origin}/after`])).stdout.toString()).toBe('fine');
    const [failed, after] = (await rec.finish()).exchanges;
    expect(failed).toMatchObject({ seq: 1, state: 'failed', error: { code: 'ECONNREFUSED' }, response: null });
    expect(failed?.timings.responseStart).toBeNull();
    expect(after).toMatchObject({ seq: 2, state: 'completed' });
  });

  it('no answer within the timeout → 504 and a failed record with ETIMEDOUT', async () => {
    const rec = await startRecording({ upstreamTimeoutMs: 300 });
    const silent = await rawServer();
    const r = await curl(rec.proxyUrl, ['-i', `http://127.0.0.1:${silent.port}/slow`]);
    expect(r.stdout.toString()).toMatch(/^HTTP\/1\.1 504 Gateway Timeout\r\n/);
    const ex = only((await rec.finish()).exchanges);
    expect(ex).toMatchObject({ state: 'failed', error: { code: 'ETIMEDOUT' } });
    silent.server.close();
  });

  it('untrusted upstream certificate → 502 and the TLS error code', async () => {
    const rec = await startRecording({ upstreamCaPems: [] });
    const r = await curl(rec.proxyUrl, ['-i', '--cacert', rec.recorder.caCertPath, `${tls.origin}/`]);
    expect(r.stdout.toString()).toMatch(/HTTP\/1\.1 502 Bad Gateway\r\n/);
    const ex = only((await rec.finish()).exchanges);
    expect(ex).toMatchObject({ state: 'failed', error: { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' } });
  });

  it('upstream resets mid-response → failed record keeping the part that arrived', async () => {
    const rec = await startRecording();
    const broken = await rawServer((socket) => {
      socket.once('data', () => {
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npartial');
        setTimeout(() => socket.destroy(), 50);
      });
    });
    const r = await curl(rec.proxyUrl, [`http://127.0.0.1:${broken.port}/x`]);
    expect(r.code).not.toBe(0);
    const ex = only((await rec.finish()).exchanges);
    expect(ex.state).toBe('failed');
    expect(ex.response?.statusCode).toBe(200);
    expect(ex.response?.body.data).toBe('partial');
    broken.server.close();
  });
});

describe('keep-alive towards upstreams', () => {
  it('a request on a pooled socket the server has dropped is sent again on a fresh one', async () => {
    const rec = await startRecording();
    let connections = 0;
    // Answers the first request of each connection, then drops the connection at the next one.
    const flaky = await rawServer((socket) => {
      connections += 1;
      let requests = 0;
      socket.on('data', () => {
        requests += 1;
        if (requests === 1) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok');
        else socket.destroy();
      });
    });
    for (let i = 0; i < 2; i++) {
      expect((await curl(rec.proxyUrl, ['-i', `http://127.0.0.1:${flaky.port}/${i}`])).stdout.toString()).toMatch(/^HTTP\/1\.1 200 OK/);
    }
    const capture = await rec.finish();
    expect(capture.exchanges.map((e) => e.state)).toEqual(['completed', 'completed']);
    expect(connections).toBe(2);
    flaky.server.close();
  });
});

describe('clients and shutdown', () => {
  it('a client aborting mid-upload is recorded as aborted with what arrived', async () => {
    const rec = await startRecording();
    const port = rec.recorder.listeners[0]!.port;
    const socket = connect(port, '127.0.0.1');
    socket.write(`PUT ${ok.origin}/upload HTTP/1.1\r\nHost: 127.0.0.1:${ok.port}\r\nContent-Length: 100000\r\n\r\n`);
    socket.write(Buffer.alloc(1000, 0x61));
    await new Promise((r) => setTimeout(r, 200));
    socket.destroy();
    await until(() => rec.recorder.exchangeCount() === 1, 'the aborted exchange');
    const ex = only((await rec.finish()).exchanges);
    expect(ex).toMatchObject({ state: 'aborted', error: { code: 'CLIENT_ABORTED' }, response: null });
    expect(ex.request.body.sizeBytes).toBe(1000);
    expect(ex.timings.requestEnd).toBeNull();
  });

  it('a client leaving mid-download is recorded as aborted with the response head and the part it got', async () => {
    const big = await startUpstream((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      const timer = setInterval(() => res.write(Buffer.alloc(64 * 1024, 0x62)), 10);
      res.once('close', () => clearInterval(timer));
    });
    const rec = await startRecording();
    const r = await curl(rec.proxyUrl, ['--max-filesize', '1', '-m', '1', `${big.origin}/endless`]);
    expect(r.code).not.toBe(0);
    await until(() => rec.recorder.exchangeCount() === 1, 'the aborted download');
    const ex = only((await rec.finish()).exchanges);
    expect(ex).toMatchObject({ state: 'aborted', error: { code: 'CLIENT_ABORTED' }, response: { statusCode: 200 } });
    expect(ex.response?.body.sizeBytes).toBeGreaterThan(0);
    await big.close();
  });

  it('stop() writes exchanges still in flight as incomplete, then the trailer', async () => {
    const rec = await startRecording();
    let arrived = false;
    const hanging = await rawServer((s) => s.once('data', () => (arrived = true)));
    const pending = curl(rec.proxyUrl, [`http://127.0.0.1:${hanging.port}/hang`]);
    await until(() => arrived, 'the request to reach the upstream');
    const capture = await rec.finish();
    expect(only(capture.exchanges)).toMatchObject({ seq: 1, state: 'incomplete', response: null });
    expect(capture.trailer).toMatchObject({ exchangeCount: 1, exit: null });
    expect((await pending).code).not.toBe(0);
    hanging.server.close();
  });

  it('labelled listeners record their label as the source, over HTTP and HTTPS', async () => {
    const rec = await startRecording({ listeners: [{ label: 'glance-api', port: 0 }] });
    const glance = rec.recorder.listeners.find((l) => l.label === 'glance-api')!;
    const via = `http://127.0.0.1:${glance.port}`;
    await curl(via, [`${ok.origin}/a`]);
    await curl(via, ['--cacert', rec.recorder.caCertPath, `${tls.origin}/b`]);
    await curl(rec.proxyUrl, [`${ok.origin}/c`]);
    const capture = await rec.finish();
    expect(capture.header.listeners.map((l) => l.label)).toEqual(['default', 'glance-api']);
    expect(capture.exchanges.map((e) => e.source.kind === 'listener' ? e.source.label : e.source.kind)).toEqual(['glance-api', 'glance-api', 'user-agent']);
  });
});

describe('setup errors come before anything starts', () => {
  const base = { header: { argv: null, cwd: '/', environment: {} }, host: '127.0.0.1', listeners: [], caDir: TEST_CA_DIR, bodyLimitBytes: 1024, bodiesDir: null };

  it('port in use → UserError naming the port; no capture file created', async () => {
    const busy = await rawServer();
    const capturePath = join(mkdtempSync(join(tmpdir(), 'flowscribe-busy-')), 'c.jsonl');
    const started = startRecorder({ ...base, capturePath, port: busy.port });
    await expect(started).rejects.toThrow(UserError);
    await expect(started).rejects.toThrow(`--port ${busy.port}: already in use on 127.0.0.1`);
    expect(existsSync(capturePath)).toBe(false);
    const labelled = startRecorder({ ...base, capturePath, port: 0, listeners: [{ label: 'glance-api', port: busy.port }] });
    await expect(labelled).rejects.toThrow(`--listen glance-api=${busy.port}: already in use on 127.0.0.1`);
    expect(existsSync(capturePath)).toBe(false);
    busy.server.close();
  });

  it('unwritable capture path → UserError naming the path and errno', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowscribe-ro-'));
    writeFileSync(join(dir, 'file'), '');
    const capturePath = join(dir, 'file', 'x.jsonl');
    await expect(startRecorder({ ...base, capturePath, port: 0 })).rejects.toThrow(`${capturePath}: cannot write (ENOTDIR)`);
  });

  it('a capture that cannot take records fails loudly (disk full)', async () => {
    await expect(startRecorder({ ...base, capturePath: '/dev/full', port: 0 })).rejects.toThrow('/dev/full: cannot write capture record (ENOSPC)');
  });

  it('the CA is created on first use: directory 0700, key 0600', async () => {
    const caDir = join(mkdtempSync(join(tmpdir(), 'flowscribe-newca-')), 'ca');
    const files = await ensureCa(caDir);
    expect(statSync(caDir).mode & 0o777).toBe(0o700);
    expect(statSync(files.keyPath).mode & 0o777).toBe(0o600);
    expect(statSync(files.certPath).isFile()).toBe(true);
    expect(await ensureCa(caDir)).toEqual(files);
  });
});
