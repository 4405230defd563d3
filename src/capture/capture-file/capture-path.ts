/** Where a capture goes when the user does not say: `captures/<slug>-<yyyymmdd-hhmmss>.jsonl`. */
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

/** Words of the command that name it: up to the first option or anything that is not a plain word. */
const MAX_WORDS = 4;
const WORD = /^[A-Za-z][A-Za-z0-9._-]*$/;

/** `['openstack', 'image', 'create', '--public', 'x']` → `openstack-image-create`. */
export function commandSlug(argv: string[]): string {
  const [first, ...rest] = argv;
  const words = [basename(first ?? '')];
  for (const word of rest) {
    if (words.length >= MAX_WORDS || !WORD.test(word)) break;
    words.push(word);
  }
  const slug = words
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 60);
  return slug || 'capture';
}

/** `20261127-021959` in UTC, so names sort by time whatever the machine's zone. */
export function timestamp(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}`;
}

/** A capture path under `capturesDir` that does not exist yet (`-2`, `-3`... on a clash). */
export function defaultCapturePath(cwd: string, capturesDir: string, stem: string, date: Date): string {
  const base = join(resolve(cwd, capturesDir), `${stem}-${timestamp(date)}`);
  let path = `${base}.jsonl`;
  for (let n = 2; existsSync(path); n++) path = `${base}-${n}.jsonl`;
  return path;
}
