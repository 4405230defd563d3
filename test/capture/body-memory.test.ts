/**
 * The relayed-memory collections (src/capture/proxy/body-memory.ts), observed as V8 reports them:
 * young-generation collections, every 4 MiB of request body or 2 MiB of response body.
 */
import { describe, expect, it } from 'vitest';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { relayed, type BodySide } from '../../src/capture/proxy/body-memory.js';

const MiB = 1024 * 1024;

/** Young-generation collections while `mib` MiB of `side` body are counted in 64 KiB chunks. */
async function youngCollections(side: BodySide, mib: number): Promise<number> {
  let young = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (((entry as { detail?: unknown }).detail as { kind?: number } | undefined)?.kind === constants.NODE_PERFORMANCE_GC_MINOR) young += 1;
  });
  observer.observe({ entryTypes: ['gc'] });
  for (let i = 0; i < mib * 16; i++) relayed(64 * 1024, side);
  await new Promise((resolve) => setTimeout(resolve, 100)); // GC entries arrive after the collection
  observer.disconnect();
  return young;
}

describe('relayed body memory', () => {
  it('collects the young generation every 4 MiB of request body', async () => {
    const n = await youngCollections('request', 64);
    expect(n).toBeGreaterThanOrEqual(15); // one may have been started by the counts of another test
    expect(n).toBeLessThanOrEqual(17); // and V8 may have collected on its own, once
  });

  it('and every 2 MiB of response body, which leaves more allocations per byte', async () => {
    const n = await youngCollections('response', 64);
    expect(n).toBeGreaterThanOrEqual(31);
    expect(n).toBeLessThanOrEqual(33);
  });
});
