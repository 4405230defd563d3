// The hashing thread's digests against Node's own SHA-256 of the same bytes: bodies cut into chunks
// of every kind of size (below, at and above a ring slot, larger than the whole ring), many bodies
// interleaved through the one ring, and callers that keep writing when told to wait.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { longBodyHash, OffThreadHash, type BodyHash } from '../../src/capture/capture-file/off-thread-hash.js';

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** A long body's hash as the recorder gets one: here, always on the hashing thread. */
function threadHash(): OffThreadHash {
  const hash = longBodyHash();
  if (!(hash instanceof OffThreadHash)) throw new Error('no hashing thread in this process');
  return hash;
}

/** `bytes` cut into chunks whose sizes cycle through `sizes`. */
function chunked(bytes: Buffer, sizes: number[]): Buffer[] {
  const chunks: Buffer[] = [];
  for (let offset = 0, i = 0; offset < bytes.length; i++) {
    const size = sizes[i % sizes.length] ?? 1;
    chunks.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  return chunks;
}

/** Feeds `chunks` the way the relay does: after a false, the next chunk waits for `onceDrained`. */
async function feedPolitely(hash: BodyHash, chunks: Buffer[]): Promise<number> {
  let waits = 0;
  for (const chunk of chunks) {
    if (!hash.update(chunk)) {
      waits++;
      await new Promise<void>((resolve) => hash.onceDrained(resolve));
    }
  }
  return waits;
}

describe('OffThreadHash', () => {
  it('gives the same digest as Node for bodies cut every way', async () => {
    const body = randomBytes(5 * 1024 * 1024 + 17);
    const cuts = [[7, 65_536, 3], [65_536], [65_537], [300_000], [4 * 1024 * 1024], [16_384, 1, 131_071]];
    for (const sizes of cuts) {
      const hash = threadHash();
      await feedPolitely(hash, chunked(body, sizes));
      expect(await hash.digest(), `chunks of ${sizes.join(', ')}`).toBe(sha256(body));
    }
    // One-byte chunks over a smaller body (5 MiB of them would take long).
    const small = body.subarray(0, 200_000);
    const hash = threadHash();
    await feedPolitely(hash, chunked(small, [1]));
    expect(await hash.digest()).toBe(sha256(small));
  });

  it('the empty body and a body ended while its bytes still wait', async () => {
    const empty = threadHash();
    expect(await empty.digest()).toBe(sha256(Buffer.alloc(0)));
    // Written without waiting: 8 MiB in one chunk is four rings' worth, ended at once.
    const big = randomBytes(8 * 1024 * 1024);
    const hash = threadHash();
    expect(hash.update(big)).toBe(false);
    expect(await hash.digest()).toBe(sha256(big));
  });

  it('asks the caller to wait when the ring is full, and lets it go on once there is room', async () => {
    const body = randomBytes(16 * 1024 * 1024);
    const hash = threadHash();
    const waits = await feedPolitely(hash, chunked(body, [65_536]));
    expect(waits).toBeGreaterThan(0);
    expect(await hash.digest()).toBe(sha256(body));
  });

  it('keeps many bodies apart in the one ring, written in turns and with callers that do not wait', async () => {
    const bodies = Array.from({ length: 12 }, (_, i) => randomBytes(300_000 + i * 97_003));
    const hashes = bodies.map(() => threadHash());
    const chunkLists = bodies.map((b, i) => chunked(b, [1000 + i * 7919, 65_536, 250_000]));
    for (let round = 0; chunkLists.some((c) => round < c.length); round++) {
      chunkLists.forEach((chunks, i) => {
        const chunk = chunks[round];
        // No caller here waits when asked to: the bytes must still all arrive, each body's in order.
        if (chunk) hashes[i]?.update(chunk);
      });
      if (round % 2) await new Promise((resolve) => setImmediate(resolve));
    }
    const digests = await Promise.all(hashes.map((h) => h.digest()));
    expect(digests).toEqual(bodies.map(sha256));
  });

  it('lets the process exit on its own once the last digest is in (the built module, in a process of its own)', () => {
    const module = new URL('../../dist/capture/capture-file/off-thread-hash.js', import.meta.url).href;
    const script = `import { longBodyHash } from '${module}';
      const hash = longBodyHash();
      console.log(hash.constructor.name); // the threaded kind, or this test proves nothing
      hash.update(Buffer.alloc(3 * 1024 * 1024, 7));
      console.log(await hash.digest());`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 15_000 });
    expect(run.error).toBeUndefined();
    expect(run.status).toBe(0);
    expect(run.stdout.trim().split('\n')).toEqual(['OffThreadHash', sha256(Buffer.alloc(3 * 1024 * 1024, 7))]);
  });

  it('hashes on the calling thread where the process may not start threads (Node\'s permission model)', () => {
    // No hook: the real refusal. `new Worker` throws ERR_ACCESS_DENIED without `--allow-worker`.
    const module = new URL('../../dist/capture/capture-file/off-thread-hash.js', import.meta.url);
    const script = `import { longBodyHash } from '${module.href}';
      import { Worker } from 'node:worker_threads';
      try { new Worker('0', { eval: true }); console.log('threads allowed'); } catch (err) { console.log(err.code); }
      const body = Buffer.alloc(5 * 1024 * 1024 + 3, 7);
      // Twice: the second body finds the refusal remembered.
      for (let round = 0; round < 2; round += 1) {
        const hash = longBodyHash();
        console.log(hash.constructor.name);
        for (let offset = 0; offset < body.length; offset += 65536) {
          if (!hash.update(body.subarray(offset, offset + 65536))) await new Promise((resolve) => hash.onceDrained(resolve));
        }
        console.log(await hash.digest());
      }`;
    const run = spawnSync(process.execPath, ['--experimental-permission', `--allow-fs-read=*`, '--no-warnings', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(run.error).toBeUndefined();
    expect(run.stderr).toBe('');
    const expected = sha256(Buffer.alloc(5 * 1024 * 1024 + 3, 7));
    expect(run.stdout.trim().split('\n')).toEqual(['ERR_ACCESS_DENIED', 'InThreadHash', expected, 'InThreadHash', expected]);
    expect(run.status).toBe(0);
  });
});
