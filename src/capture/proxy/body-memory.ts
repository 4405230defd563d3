/**
 * Gives relayed body chunks' memory back promptly. Every chunk Node's HTTP parser hands us is a
 * fresh off-heap allocation that only a garbage collection frees, and bulk bodies make almost no
 * on-heap garbage: V8 collects them only once ~64 MB of such memory has piled up, then with a full
 * mark-compact. A young-generation collection every few MiB of relayed body (hardly anything on
 * the heap is alive) frees the chunks while they are still young: the recorder's memory stays near
 * idle during a 1 GiB upload and the full collections go away.
 *
 * The interval sets how far glibc's heap grows between collections, and the heap keeps that size
 * afterwards (the launcher's malloc settings keep freed memory for reuse). A downloaded byte leaves
 * about 3.5× the allocations of an uploaded one: the upstream's response arrives as socket reads in
 * fresh buffers that the client parser copies again, while Node's server parser reads the client's
 * socket into one shared buffer and only copies the body out. So a response's bytes count twice:
 * a collection every 4 MiB of request body (the heap grows ~5 MB) or 2 MiB of response body (~8 MB;
 * every 4 MiB grew it ~15 MB and still left ~30 mark-compacts per GiB downloaded), without more
 * collections for uploads (docs/guide/speed.md, issue 13's 100 MB).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = (options: { type: 'minor' | 'major'; execution: 'sync' | 'async' }) => void;

/** Which body a relayed chunk belongs to. */
export type BodySide = 'request' | 'response';

/** What a relayed byte counts for, by the allocations it leaves behind (see above). */
const WEIGHT: Readonly<Record<BodySide, number>> = { request: 1, response: 2 };

/** Weighted body bytes relayed between two young-generation collections. */
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

/** Counts `bytes` of relayed body on `side`; every few MiB, collects the young generation. */
export function relayed(bytes: number, side: BodySide): void {
  sinceCollect += bytes * WEIGHT[side];
  if (sinceCollect < COLLECT_EVERY_BYTES) return;
  sinceCollect = 0;
  collector()({ type: 'minor', execution: 'sync' });
}
