/**
 * A real full disk for tests: a small tmpfs mounted on a fresh temporary directory (needs root,
 * as in CI). `fill()` takes its last free byte, so the next write that needs a new page fails with
 * ENOSPC the way a full disk does. Every write here is checked to land on that tiny tmpfs.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, rmSync, rmdirSync, statfsSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TinyDisk {
  dir: string;
  /** Writes a filler file until the file system is full. */
  fill(): void;
  /** Removes every file: an empty disk for the next test. */
  empty(): void;
  unmount(): void;
}

const TMPFS_MAGIC = 0x01021994;

/** Bytes of the file system holding `dir`, if it is a tmpfs; null otherwise. */
function tmpfsSize(dir: string): number | null {
  const s = statfsSync(dir);
  return s.type === TMPFS_MAGIC ? s.blocks * s.bsize : null;
}

/** Mounts a `sizeKiB` tmpfs, or says why it cannot (not root, no mount privilege). */
export function mountTinyDisk(sizeKiB: number): TinyDisk | { skip: string } {
  if (process.getuid?.() !== 0) return { skip: 'needs root to mount a small tmpfs' };
  const dir = mkdtempSync(join(tmpdir(), 'flowscribe-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKiB}k,mode=0755`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    rmdirSync(dir);
    return { skip: `cannot mount a tmpfs here (${(err as Error).message.split('\n')[0]})` };
  }
  const size = tmpfsSize(dir);
  if (size === null || size > sizeKiB * 1024) throw new Error(`${dir}: not the ${sizeKiB} KiB tmpfs just mounted`);
  return {
    dir,
    fill: () => fillUp(dir, size),
    empty: () => {
      for (const name of readdirSync(dir)) rmSync(join(dir, name), { recursive: true });
    },
    unmount: () => {
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      rmdirSync(dir);
    },
  };
}

function fillUp(dir: string, size: number): void {
  // Checked again right before writing: never fill anything but the tiny tmpfs.
  if (tmpfsSize(dir) !== size) throw new Error(`${dir}: no longer the tiny tmpfs; not filling it`);
  const fd = openSync(join(dir, 'filler'), 'w');
  const chunk = Buffer.alloc(4096);
  try {
    for (let written = 0; written <= size; written += chunk.length) writeSync(fd, chunk);
    throw new Error(`${dir}: still not full after ${size} bytes`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
}
