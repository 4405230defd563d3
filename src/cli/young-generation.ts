/**
 * Reading and rendering a whole capture with V8's young generation kept at its starting size
 * (1 MiB semi-spaces) instead of letting it grow to 16 MiB. The survivors of such work (the
 * capture, the model) are copied out of the young generation whatever its size, and every page of
 * a larger one is fresh memory, which this machine's virtualisation makes dear (a first touch of a
 * page cost ~17 µs of CPU; docs/guide/speed.md, "Session 9").
 *
 * Set while the work runs rather than as a V8 flag at Node's start: a flag at start costs Node's
 * and the bundle's code caches (~30 ms a start). V8 reads this flag each time it would grow the
 * young generation, so a change takes effect at once; and it is put back afterwards because V8
 * rejects a code cache made under other flags: Node's built-in modules loaded later (the browser
 * of `--svg`) would otherwise compile from scratch, at twice the time.
 */
import { setFlagsFromString } from 'node:v8';

/** V8's own default (`node --v8-options`; test/cli/young-generation.test.ts checks it). */
export const V8_SEMI_SPACE_GROWTH_FACTOR = 2;

export async function withSmallYoungGeneration<T>(work: () => Promise<T>): Promise<T> {
  setFlagsFromString('--semi-space-growth-factor=1');
  try {
    return await work();
  } finally {
    setFlagsFromString(`--semi-space-growth-factor=${V8_SEMI_SPACE_GROWTH_FACTOR}`);
  }
}
