/**
 * Any capture file by its name: `.har` is imported (HAR 1.2), everything else is read as a
 * flowscribe capture (JSON lines). What `render`, `site`, `export` and `merge` open.
 */
import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { flowscribeVersion } from '../version.js';
import { readCapture } from './capture.js';
import type { Capture } from './exchange.js';

/** True for the file names read as HAR. */
export function isHarFile(path: string): boolean {
  return /\.har$/i.test(path);
}

/** Reads a HAR file into a capture; errors name the file (and the entry). */
export async function readHar(path: string): Promise<Capture> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new UserError(`${path}: cannot read HAR (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  // Imported here, not above: HAR checking loads ajv, which reading a capture file no longer needs.
  const { parseHar } = await import('./har-import.js');
  return parseHar(text, path, { flowscribeVersion: flowscribeVersion() });
}

/** Reads a capture or a HAR file. */
export function loadCapture(path: string): Promise<Capture> {
  return isHarFile(path) ? readHar(path) : readCapture(path);
}
