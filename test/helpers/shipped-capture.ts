/** The repository's shipped example capture(s) in `captures/`, which site tests render for real. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** File names of `captures/*.jsonl`, sorted (the order `flowscribe site` lists them). */
export function shippedCaptureNames(): string[] {
  const names = readdirSync(join(REPO_ROOT, 'captures')).filter((f) => f.endsWith('.jsonl')).sort();
  if (names.length === 0) throw new Error('no shipped capture in captures/');
  return names;
}

/** The README's example: the reference page's 50 exchanges, rebuilt as a capture. */
export const EXAMPLE_CAPTURE = 'openstack-image-create-reference.jsonl';

/** Absolute path of the example capture. */
export function shippedCapture(): string {
  return join(REPO_ROOT, 'captures', EXAMPLE_CAPTURE);
}
