/** BodyRecorder on its own: sizes, hashes, the limit, text vs base64, decoding, bodies dir. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { BodyRecorder, mediaTypeOf } from '../../src/capture/capture-file/body-recorder.js';
import { sha256 } from '../helpers/expect-exchange.js';

function record(chunks: Buffer[], options: Partial<ConstructorParameters<typeof BodyRecorder>[0]> = {}) {
  const recorder = new BodyRecorder({ limitBytes: 1024, contentType: null, contentEncoding: null, bodiesDir: null, ...options });
  for (const c of chunks) recorder.write(c);
  return recorder.finish();
}

describe('BodyRecorder', () => {
  it('an empty body', async () => {
    expect(await record([])).toEqual({
      sizeBytes: 0, sha256: sha256(''), mediaType: null, contentEncoding: null, encoding: 'utf8', data: '', truncatedBytes: 0, file: null,
    });
  });

  it('text split across chunks inside a multi-byte character stays text', async () => {
    const bytes = Buffer.from('ab\u20ac\u{1f600}cd');
    const body = await record([bytes.subarray(0, 3), bytes.subarray(3, 8), bytes.subarray(8)], { contentType: 'Text/Plain; charset=utf-8' });
    expect(body).toMatchObject({ sizeBytes: bytes.length, sha256: sha256(bytes), encoding: 'utf8', data: 'ab\u20ac\u{1f600}cd', mediaType: 'text/plain' });
  });

  it('a cut inside a character at the limit drops the partial character and counts it as truncated', async () => {
    const bytes = Buffer.from('\u20ac'.repeat(10)); // 30 bytes, 3 per character
    const body = await record([bytes], { limitBytes: 10 });
    expect(body).toMatchObject({ encoding: 'utf8', data: '\u20ac'.repeat(3), truncatedBytes: 21, sizeBytes: 30 });
  });

  it('the SHA-256 is of every wire byte whether the body fits the limit, ends at it or outgrows it, in any chunking', async () => {
    const bytes = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 7) % 256));
    const cuts = [[300], [1, 299], [99, 1, 1, 199], [100, 100, 100], [150, 150], [0, 101, 199]];
    for (const limitBytes of [0, 1, 100, 101, 299, 300, 301]) {
      for (const lengths of cuts) {
        const chunks: Buffer[] = [];
        let at = 0;
        for (const n of lengths) chunks.push(bytes.subarray(at, (at += n)));
        const body = await record(chunks, { limitBytes });
        expect({ limitBytes, lengths, sha256: body.sha256, sizeBytes: body.sizeBytes }).toEqual({ limitBytes, lengths, sha256: sha256(bytes), sizeBytes: 300 });
      }
    }
  });

  it('invalid UTF-8 is stored as base64', async () => {
    const bytes = Buffer.from([0x66, 0x6f, 0xc3, 0x28, 0xff]);
    const body = await record([bytes]);
    expect(body).toMatchObject({ encoding: 'base64', data: bytes.toString('base64'), truncatedBytes: 0 });
  });

  it('gzip is decoded for the stored copy; size and hash stay those of the wire bytes', async () => {
    const wire = gzipSync(Buffer.from('x'.repeat(5000)));
    const body = await record([wire.subarray(0, 10), wire.subarray(10)], { contentEncoding: 'GZIP', limitBytes: 100 });
    expect(body).toMatchObject({ sizeBytes: wire.length, sha256: sha256(wire), contentEncoding: 'gzip', data: 'x'.repeat(100), truncatedBytes: 4900 });
  });

  it('a body that is not really gzip is stored as it came', async () => {
    const body = await record([Buffer.from('plain text')], { contentEncoding: 'gzip' });
    expect(body).toMatchObject({ contentEncoding: null, encoding: 'utf8', data: 'plain text' });
  });

  it('an unknown content-encoding is kept raw and not claimed as decoded', async () => {
    const body = await record([Buffer.from('zzz')], { contentEncoding: 'compress' });
    expect(body).toMatchObject({ contentEncoding: null, data: 'zzz' });
  });

  it('writes the whole wire body to bodiesDir under its SHA-256, relative to the capture', async () => {
    const root = mkdtempSync(join(tmpdir(), 'flowscribe-body-'));
    const bytes = Buffer.from('0123456789'.repeat(300));
    const body = await record([bytes.subarray(0, 1000), bytes.subarray(1000)], { bodiesDir: join(root, 'bodies'), relativeTo: root, limitBytes: 10 });
    expect(body.file).toBe(join('bodies', sha256(bytes)));
    expect(readFileSync(join(root, body.file!)).equals(bytes)).toBe(true);
    const again = await record([bytes], { bodiesDir: join(root, 'bodies'), relativeTo: root });
    expect(again.file).toBe(body.file);
    expect(readdirSync(join(root, 'bodies'))).toEqual([sha256(bytes)]); // no temp files left
  });

  it('mediaTypeOf drops parameters', () => {
    expect(mediaTypeOf('application/json; charset=UTF-8')).toBe('application/json');
    expect(mediaTypeOf(null)).toBeNull();
    expect(mediaTypeOf('  ')).toBeNull();
  });
});
