/**
 * V8's allocation-site pretenuring, switched off for `flowscribe proxy`. V8 watches how many
 * objects made at each literal survive young-generation collections and may then make that
 * literal's objects in the old generation directly. An exchange's objects live for one request:
 * made in the old generation, they stay after the exchange ends, until the next full collection,
 * and keep what they point to in the young generation alive through every young collection until
 * then. With 32 keep-alive clients half of 14 runs settled into such a state for good: about
 * 0.85 MB survived each young collection instead of 0.2 MB, most of it promoted, with 5× as many
 * full collections. Without pretenuring, 10 runs of 10 stayed in the cheap state (issue 13,
 * docs/guide/speed.md); V8's trace did not name the literal. Set at run time, before any traffic
 * (the launcher's V8 flags would do the same).
 */
import { setFlagsFromString } from 'node:v8';

export function stopPretenuring(): void {
  setFlagsFromString('--no-allocation-site-pretenuring');
}
