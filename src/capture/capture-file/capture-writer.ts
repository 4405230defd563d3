/**
 * Appends capture records as whole JSON lines. Each record is one synchronous write of
 * `JSON.stringify(record) + '\n'` (looped only if the kernel writes part of it), so records never
 * interleave and a recorder killed at any moment leaves complete lines plus at most one cut last line.
 * Any write failure is thrown as a UserError: traffic must never pass unrecorded silently. A record
 * that fails half-written (disk full) is cut off again, so the file ends with its last whole record.
 */
import { closeSync, fchmodSync, ftruncateSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { UserError } from '../../errors.js';
import type { CaptureRecord } from '../../model/exchange.js';

function errorCode(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code ?? e.message;
}

/** A capture holds passwords and tokens: owner-only, whatever the umask (and a reused file's mode). */
const CAPTURE_FILE_MODE = 0o600;
const CAPTURE_DIR_MODE = 0o700;

function openPrivate(path: string): number {
  const fd = openSync(path, 'w', CAPTURE_FILE_MODE);
  fchmodSync(fd, CAPTURE_FILE_MODE); // `open` keeps the mode of a file that already existed
  return fd;
}

function openOrCreateDir(path: string): number {
  try {
    return openPrivate(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    mkdirSync(dirname(path), { recursive: true, mode: CAPTURE_DIR_MODE }); // `captures/` on a first run
    return openPrivate(path);
  }
}

export class CaptureWriter {
  private fd: number | null;
  private failure: UserError | null = null;
  /** Bytes of whole records written: where a half-written record is cut back to. */
  private complete = 0;

  private constructor(
    /** The capture file's path as the user gave it (used in messages). */
    readonly path: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  /** Creates (or truncates) the capture file and its directory; unwritable → UserError naming the path. */
  static open(path: string): CaptureWriter {
    try {
      return new CaptureWriter(path, openOrCreateDir(path));
    } catch (err) {
      throw new UserError(`${path}: cannot write (${errorCode(err)})`, 1, 'choose another file with -o FILE');
    }
  }

  /** The first write failure, if any (the writer refuses further records after it). */
  get failed(): UserError | null {
    return this.failure;
  }

  /** Appends one record as one line. Throws a UserError if the file cannot take it. */
  write(record: CaptureRecord): void {
    if (this.failure) throw this.failure;
    if (this.fd === null) throw new UserError(`${this.path}: capture already closed`);
    const line = Buffer.from(JSON.stringify(record) + '\n', 'utf8');
    try {
      let off = 0;
      while (off < line.length) off += writeSync(this.fd, line, off, line.length - off);
    } catch (err) {
      this.failure = new UserError(`${this.path}: cannot write capture record (${errorCode(err)})`);
      this.cutBack(this.fd);
      throw this.failure;
    }
    this.complete += line.length;
  }

  /** Drops the part of a record that made it to disk (shrinking a file needs no free space). */
  private cutBack(fd: number): void {
    try {
      ftruncateSync(fd, this.complete);
    } catch {
      // Not a regular file (/dev/full, a pipe): nothing to cut back. Otherwise readers report the cut line.
    }
  }

  close(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    try {
      closeSync(fd);
    } catch (err) {
      throw new UserError(`${this.path}: cannot close capture (${errorCode(err)})`);
    }
  }
}
