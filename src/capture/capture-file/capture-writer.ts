/**
 * Appends capture records as whole JSON lines. The records queued in one turn of the event loop
 * reach the file together, in one synchronous write at the end of that turn (or at `flush`/`close`):
 * with many clients a write per record was an eighth of the recorder's CPU. Records never
 * interleave, and a recorder killed at any moment leaves complete lines plus at most one cut last
 * line. Any write failure is a UserError, thrown by `flush` and reported to `onFailure` with the
 * number of exchanges it lost: traffic must never pass unrecorded silently. A batch that fails
 * half-written (disk full) is cut off again, so the file ends with its last whole record.
 */
import { closeSync, fchmodSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { UserError } from '../../errors.js';
import type { CaptureRecord } from '../../model/exchange.js';
import { makeDirectory } from '../../make-directory.js';

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
    makeDirectory(dirname(path), CAPTURE_DIR_MODE); // `captures/` on a first run
    return openPrivate(path);
  }
}

export class CaptureWriter {
  private fd: number | null;
  private failure: UserError | null = null;
  /** Bytes of whole records written: where a half-written batch is cut back to. */
  private complete = 0;
  private queued: string[] = [];
  private queuedExchanges = 0;
  private flushing: NodeJS.Immediate | null = null;
  /** Told when a write fails, with the number of queued exchanges the failure lost. */
  onFailure: ((error: UserError, lostExchanges: number) => void) | null = null;

  private constructor(
    /** The capture file's path as the user gave it (used in messages). */
    readonly path: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  /** Creates (or truncates) the capture file and its directory; unwritable: a UserError naming the path. */
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

  /** Queues one record as one line, written at the end of this turn of the event loop. Throws after a failure. */
  write(record: CaptureRecord): void {
    if (this.failure) throw this.failure;
    if (this.fd === null) throw new UserError(`${this.path}: capture already closed`);
    this.queued.push(JSON.stringify(record));
    if (record.type === 'exchange') this.queuedExchanges += 1;
    this.flushing ??= setImmediate(() => {
      this.flushing = null;
      try {
        this.flush();
      } catch {
        // Reported through onFailure.
      }
    });
  }

  /** Writes the queued records now, as one write. Throws a UserError if the file cannot take them all. */
  flush(): void {
    if (this.failure) throw this.failure;
    if (this.fd === null || this.queued.length === 0) return;
    this.queued.push(''); // every line ends with a newline
    const data = Buffer.from(this.queued.join('\n'), 'utf8');
    const exchanges = this.queuedExchanges;
    this.queued = [];
    this.queuedExchanges = 0;
    try {
      let off = 0;
      while (off < data.length) off += writeSync(this.fd, data, off, data.length - off);
    } catch (err) {
      this.failure = new UserError(`${this.path}: cannot write capture record (${errorCode(err)})`);
      this.cutBack(this.fd);
      this.onFailure?.(this.failure, exchanges);
      throw this.failure;
    }
    this.complete += data.length;
  }

  /** Drops the part of a record that made it to disk (shrinking a file needs no free space). */
  private cutBack(fd: number): void {
    try {
      ftruncateSync(fd, this.complete);
    } catch {
      // Not a regular file (/dev/full, a pipe): nothing to cut back. Otherwise readers report the cut line.
    }
  }

  /** Writes what is queued (throwing as `flush` does), then closes the file. */
  close(): void {
    if (this.fd === null) return;
    if (this.flushing) clearImmediate(this.flushing);
    this.flushing = null;
    try {
      if (!this.failure) this.flush();
    } finally {
      this.closeFile();
    }
  }

  private closeFile(): void {
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
