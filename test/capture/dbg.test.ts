import { randomBytes } from 'node:crypto';
import { it } from 'vitest';
import { OffThreadHash } from '../../src/capture/capture-file/off-thread-hash.js';
function chunked(bytes: Buffer, sizes: number[]): Buffer[] { const c: Buffer[] = []; for (let o = 0, i = 0; o < bytes.length; i++) { const s = sizes[i % sizes.length] ?? 1; c.push(bytes.subarray(o, o + s)); o += s; } return c; }
it('seq', async () => {
  const body = randomBytes(5 * 1024 * 1024 + 17);
  for (const sizes of (process.env.SEQ === '1' ? [[300_000], [4 * 1024 * 1024], [16_384, 1, 131_071]] : [[4 * 1024 * 1024], [16_384, 1, 131_071]])) {
    const h = new OffThreadHash();
    let i = 0; const cs = chunked(body, sizes);
    for (const c of cs) { i++; if (!h.update(c)) { const t = setTimeout(() => console.log('stuck at', i, 'of', cs.length, JSON.stringify((h as any).backlog.length), (h as any).ring.room(), [...(h as any).ring.waiting].length, Atomics.load((h as any).ring.ctl, 2), Atomics.load((h as any).ring.ctl, 0), Atomics.load((h as any).ring.ctl, 1), (h as any).ring.head), 2000); await new Promise<void>((r) => h.onceDrained(r)); clearTimeout(t); } }
    console.log('fed', sizes);
    await h.digest();
  }
}, 5000);
