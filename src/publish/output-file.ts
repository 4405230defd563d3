/**
 * Where `export`, `import` and `merge` put what they make: a file (created 0600: HARs and
 * captures hold tokens even with passwords masked) or stdout (`-o -` or no `-o`).
 */
import { writeFile, chmod } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UserError } from '../errors.js';
import { makeDirectory } from '../make-directory.js';

/** True when the output goes to stdout. */
export function toStdout(out: string | undefined): boolean {
  return out === undefined || out === '-';
}

/** Writes `text` to `out` (mode 0600) or to stdout; a failure names the flag and the path. */
export async function writeOutput(out: string | undefined, text: string): Promise<void> {
  if (toStdout(out)) {
    process.stdout.write(text);
    return;
  }
  const path = out as string;
  try {
    makeDirectory(dirname(path));
    await writeFile(path, text, { mode: 0o600 });
    await chmod(path, 0o600); // an existing file keeps its mode on overwrite
  } catch (err) {
    throw new UserError(`-o ${path}: cannot write (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}
