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

/**
 * The README's example among them: the reference page's run, whose participants and 50 arrows the
 * site tests check (other shipped captures, e.g. the lab's recordings, sort before it).
 */
export const EXAMPLE_CAPTURE = 'openstack-image-create-reference.jsonl';

/** Absolute path of the shipped example capture. */
export function shippedCapture(): string {
  if (!shippedCaptureNames().includes(EXAMPLE_CAPTURE)) throw new Error(`captures/${EXAMPLE_CAPTURE} is missing`);
  return join(REPO_ROOT, 'captures', EXAMPLE_CAPTURE);
}
