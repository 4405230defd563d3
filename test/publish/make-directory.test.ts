/** `makeDirectory`: `mkdir -p -m` on the real file system, and a prompt error where Node's recursive mkdir hangs. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeDirectory } from '../../src/make-directory.js';

const work = mkdtempSync(join(tmpdir(), 'flowscribe-mkdir-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const errorCode = (fn: () => void): string | undefined => {
  try {
    fn();
  } catch (err) {
    return (err as NodeJS.ErrnoException).code;
  }
  return undefined;
};

describe('makeDirectory', () => {
  it('makes every missing level with the mode, and leaves an existing folder alone', () => {
    const deep = join(work, 'a/b/c');
    makeDirectory(deep, 0o700);
    for (const level of ['a', 'a/b', 'a/b/c']) expect(statSync(join(work, level)).mode & 0o777).toBe(0o700);
    expect(() => makeDirectory(deep)).not.toThrow();
    makeDirectory(join(work, 'rel-check'));
    expect(statSync(join(work, 'rel-check')).isDirectory()).toBe(true);
  });

  it('throws what mkdir says: ENOTDIR under a regular file', () => {
    writeFileSync(join(work, 'file'), '');
    expect(errorCode(() => makeDirectory(join(work, 'file/sub/deeper')))).toBe('ENOTDIR');
  });

  it('fails with ENOENT under /proc instead of looping (checked in a child process with a time limit)', () => {
    const script = `import('${new URL('../../dist/make-directory.js', import.meta.url).href}').then(({ makeDirectory }) => {
      try { makeDirectory('/proc/flowscribe-no-such/x'); console.log('made'); } catch (e) { console.log(e.code); }
    })`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 10_000 });
    expect(r.signal).toBeNull(); // killed at 10 s: it looped
    expect(r.stdout.trim()).toBe('ENOENT');
  });
});
