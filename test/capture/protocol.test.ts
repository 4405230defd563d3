/**
 * Protocol coverage through the real recorder with curl and Node clients: keep-alive, chunked
 * bodies, Expect: 100-continue, HEAD, 204/304, HTTP/1.0, gzip/deflate/br decoding, binary bodies,
 * the body limit and the bodies directory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http, { type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { curl } from '../helpers/clients.js';
import { expectRequestAsSeen, expectWholeBody, only, sha256, storedBytes } from '../helpers/expect-exchange.js';
import { startRecording } from '../helpers/recording.js';
import { startUpstream, type SeenRequest, type Upstream } from '../helpers/upstream.js';

const TEXT = 'hello, "world" — \u00fcber\n'.repeat(50);
const BINARY = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0xfe, 0x00]), randomBytes(3000)]);
const ENCODERS: Record<string, (b: Buffer) => Buffer> = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync };

function respond(req: SeenRequest, res: ServerResponse): void {
  const [, what, arg] = req.path.split('/');
  if (what === 'status') {
    res.writeHead(Number(arg), { ETag: '"v1"', 'Content-Type': 'text/plain' });
    res.end();
  } else if (what === 'encoded') {
    const encoding = arg ?? 'gzip';
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Encoding': encoding });
    res.end(ENCODERS[encoding]?.(Buffer.from(TEXT)));
  } else if (what === 'binary') {
    res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': BINARY.length });
    res.end(BINARY);
  } else if (what === 'chunked') {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.write('part one, ');
    setTimeout(() => res.end('part two'), 20);
  } else {
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(TEXT) });
    res.end(req.method === 'HEAD' ? undefined : TEXT);
  }
}

let upstream: Upstream;
beforeAll(async () => {
  upstream = await startUpstream(respond);
});
afterAll(() => upstream.close());

function lastSeen(): SeenRequest {
  const seen = upstream.seen.at(-1);
  if (!seen) throw new Error('the upstream saw nothing');
  return seen;
}

describe('protocol coverage', () => {
  it('keep-alive: several requests on one client connection, each recorded in order', async () => {
    const rec = await startRecording();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const reused: boolean[] = [];
    for (let i = 0; i < 3; i++) {
      await new Promise<void>((resolve, reject) => {
        const req = http.get(`${rec.proxyUrl.replace('http://', 'http://')}`, { agent, path: `${upstream.origin}/text?i=${i}`, headers: { Host: `127.0.0.1:${upstream.port}` } }, (res) => {
          reused.push(req.reusedSocket);
          res.resume();
          res.on('end', resolve);
        });
        req.on('error', reject);
      });
    }
    agent.destroy();
    const capture = await rec.finish();
    expect(reused).toEqual([false, true, true]);
    expect(capture.exchanges.map((e) => [e.seq, new URL(e.request.url).search])).toEqual([[1, '?i=0'], [2, '?i=1'], [3, '?i=2']]);
    for (const ex of capture.exchanges) expectWholeBody(ex.response?.body ?? ex.request.body, Buffer.from(TEXT));
  });

  it('a long keep-alive connection: no per-exchange listeners pile up on its socket (no MaxListeners warning)', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    const rec = await startRecording();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let i = 0; i < 30; i++) {
        await new Promise<void>((resolve, reject) => {
          const req = http.get(rec.proxyUrl, { agent, path: `${upstream.origin}/text?i=${i}`, headers: { Host: `127.0.0.1:${upstream.port}` } }, (res) => {
            res.resume();
            res.on('end', resolve);
          });
          req.on('error', reject);
        });
      }
      await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
    } finally {
      agent.destroy();
      process.off('warning', onWarning);
    }
    const capture = await rec.finish();
    expect(capture.exchanges).toHaveLength(30);
    expect(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning'))).toEqual([]);
  });

  it('chunked request and response bodies are recorded whole (transfer coding removed)', async () => {
    const rec = await startRecording();
    const result = await curl(rec.proxyUrl, ['-H', 'Transfer-Encoding: chunked', '--data-binary', TEXT, `${upstream.origin}/chunked`]);
    expect(result.stdout.toString()).toBe('part one, part two');
    const ex = only((await rec.finish()).exchanges);
    expect(ex.request.headers).toContainEqual(['Transfer-Encoding', 'chunked']);
    expectRequestAsSeen(ex, lastSeen());
    expect(ex.response?.headers).toContainEqual(['Transfer-Encoding', 'chunked']);
    expectWholeBody(ex.response!.body, Buffer.from('part one, part two'));
  });

  it('Expect: 100-continue upload', async () => {
    const rec = await startRecording();
    const file = join(rec.dir, 'upload.txt');
    writeFileSync(file, randomBytes(100_000).toString('hex'));
    const result = await curl(rec.proxyUrl, ['-v', '-H', 'Expect: 100-continue', '-H', 'Content-Type: text/plain', '--data-binary', `@${file}`, `${upstream.origin}/text`]);
    expect(result.stdout.toString()).toBe(TEXT);
    expect(result.stderr).toContain('< HTTP/1.1 100 Continue');
    const ex = only((await rec.finish()).exchanges);
    expect(ex.request.headers).toContainEqual(['Expect', '100-continue']);
    expectRequestAsSeen(ex, lastSeen());
    expect(ex.response?.statusCode).toBe(200);
  });

  it('HEAD, 204 and 304 have no body', async () => {
    const rec = await startRecording();
    const head = await curl(rec.proxyUrl, ['-I', `${upstream.origin}/text`]);
    expect(head.stdout.toString()).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*Content-Length: 1[0-9]+\r\n/);
    for (const status of [204, 304]) {
      const r = await curl(rec.proxyUrl, ['-i', `${upstream.origin}/status/${status}`]);
      expect(r.stdout.toString()).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    }
    const capture = await rec.finish();
    expect(capture.exchanges.map((e) => [e.request.method, e.response?.statusCode, e.response?.body.sizeBytes])).toEqual([
      ['HEAD', 200, 0],
      ['GET', 204, 0],
      ['GET', 304, 0],
    ]);
    expect(capture.exchanges[0]?.response?.headers).toContainEqual(['Content-Length', String(Buffer.byteLength(TEXT))]);
  });

  it('HTTP/1.0 client', async () => {
    const rec = await startRecording();
    const r = await curl(rec.proxyUrl, ['-0', '-i', `${upstream.origin}/chunked`]);
    expect(r.stdout.toString()).toMatch(/^HTTP\/1\.[01] 200 OK\r\n/);
    expect(r.stdout.toString()).not.toMatch(/Transfer-Encoding/i);
    expect(r.stdout.toString().endsWith('part one, part two')).toBe(true);
    const ex = only((await rec.finish()).exchanges);
    expect(ex.request.httpVersion).toBe('1.0');
    expectWholeBody(ex.response!.body, Buffer.from('part one, part two'));
  });

  it.each(['gzip', 'deflate', 'br'])('%s response: stored decoded, size and hash of the wire bytes', async (encoding) => {
    const rec = await startRecording();
    const r = await curl(rec.proxyUrl, [`${upstream.origin}/encoded/${encoding}`]);
    const wire = r.stdout; // curl without --compressed passes the encoded bytes through
    expect(wire.equals(ENCODERS[encoding]!(Buffer.from(TEXT)))).toBe(true);
    const body = only((await rec.finish()).exchanges).response!.body;
    expect(body.contentEncoding).toBe(encoding);
    expect(body.sizeBytes).toBe(wire.length);
    expect(body.sha256).toBe(sha256(wire));
    expect(body).toMatchObject({ encoding: 'utf8', data: TEXT, truncatedBytes: 0, mediaType: 'text/plain' });
  });

  it('binary body → base64 with its media type', async () => {
    const rec = await startRecording();
    await curl(rec.proxyUrl, [`${upstream.origin}/binary`]);
    const body = only((await rec.finish()).exchanges).response!.body;
    expect(body.encoding).toBe('base64');
    expect(body.mediaType).toBe('image/png');
    expectWholeBody(body, BINARY);
  });

  it('body over the limit: prefix stored, truncatedBytes counted, full body in the bodies dir', async () => {
    const bodiesDir = join(mkdtempSync(join(tmpdir(), 'flowscribe-bodies-')), 'bodies');
    const rec = await startRecording({ bodyLimitBytes: 100, bodiesDir });
    const upload = Buffer.from('\u00e9'.repeat(200)); // 400 bytes of 2-byte characters
    await curl(rec.proxyUrl, ['-H', 'Content-Type: text/plain', '--data-binary', upload.toString(), `${upstream.origin}/binary`]);
    const ex = only((await rec.finish()).exchanges);
    const req = ex.request.body;
    expect(req).toMatchObject({ sizeBytes: 400, sha256: sha256(upload), encoding: 'utf8', data: '\u00e9'.repeat(50), truncatedBytes: 300 });
    const res = ex.response!.body;
    expect(res.sizeBytes).toBe(BINARY.length);
    expect(storedBytes(res).equals(BINARY.subarray(0, 100))).toBe(true);
    expect(res.truncatedBytes).toBe(BINARY.length - 100);
    for (const [body, bytes] of [[req, upload], [res, BINARY]] as const) {
      expect(body.file).toBe(relative(dirname(rec.capturePath), join(bodiesDir, body.sha256)));
      expect(readFileSync(join(dirname(rec.capturePath), body.file!)).equals(bytes)).toBe(true);
    }
  });
});
