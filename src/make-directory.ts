/**
 * `mkdir -p` that cannot hang. Node 20's recursive mkdir loops for ever where creating a directory
 * fails with ENOENT although its parent exists (under /proc or /sys): it takes the ENOENT for a
 * missing parent, makes the parent (EEXIST), and tries again. This walks up to the nearest existing
 * ancestor and creates each missing level once, so such a path fails with ENOENT like any other.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Creates `dir` and its missing parents (each with `mode`, as `mkdir -p -m` would); throws the first failure. */
export function makeDirectory(dir: string, mode?: number): void {
  const missing: string[] = [];
  for (let at = resolve(dir); !existsSync(at); at = dirname(at)) {
    missing.push(at);
    if (dirname(at) === at) break;
  }
  for (const level of missing.reverse()) {
    try {
      mkdirSync(level, mode === undefined ? undefined : { mode });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err; // made meanwhile by another process
    }
  }
}
