/**
 * Gives relayed body chunks' memory back promptly. Every chunk Node's HTTP parser hands us is a
 * fresh off-heap allocation that only a garbage collection frees, and bulk bodies make almost no
 * on-heap garbage: V8 collects them only once ~64 MB of such memory has piled up, then with a full
 * mark-compact. A young-generation collection every few MiB of relayed body (about 0.1 ms each,
 * since hardly anything on the heap is alive) frees the chunks while they are still young: the
 * recorder's memory stays near idle during a 1 GiB upload and the full collections go away.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = (options: { type: 'minor' | 'major'; execution: 'sync' | 'async' }) => void;

/** Body bytes relayed between two young-generation collections. */
const COLLECT_EVERY_BYTES = 4 * 1024 * 1024;

let collect: Collect | null = null;
let sinceCollect = 0;

/** V8's `gc`, exposed in a fresh context only (the main one's global stays as it is). */
function collector(): Collect {
  if (!collect) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as Collect;
  }
  return collect;
}

/** Counts `bytes` of relayed body; every few MiB, collects the young generation. */
export function relayed(bytes: number): void {
  sinceCollect += bytes;
  if (sinceCollect < COLLECT_EVERY_BYTES) return;
  sinceCollect = 0;
  collector()({ type: 'minor', execution: 'sync' });
}
