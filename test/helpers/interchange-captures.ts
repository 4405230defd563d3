/** Every capture the project ships or pins: what the interchange tests export, import and compare. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './shipped-capture.js';

const FIXTURES = join(REPO_ROOT, 'test/fixtures/captures');

/** Absolute paths of `captures/*.jsonl` and `test/fixtures/captures/*.jsonl`. */
export function allCapturePaths(): string[] {
  const shipped = readdirSync(join(REPO_ROOT, 'captures')).filter((f) => f.endsWith('.jsonl')).map((f) => join(REPO_ROOT, 'captures', f));
  const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith('.jsonl')).map((f) => join(FIXTURES, f));
  return [...shipped, ...fixtures].sort();
}

/** The lab's image-create recording: the client and glance-api both through the recorder, 25 exchanges. */
export const IMAGE_CREATE = join(REPO_ROOT, 'captures/openstack-image-create.jsonl');
