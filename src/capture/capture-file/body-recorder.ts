/**
 * Records one HTTP body as it streams past: counts and hashes the wire bytes, keeps the first
 * `limitBytes` of the (content-decoded) body for the capture, and optionally writes the whole wire
 * body to a content-addressed file. Memory stays bounded by the limit, whatever the body's size.
 */
import { hash as hashOnce, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, openSync, renameSync, unlinkSync, writeSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Body } from '../../model/exchange.js';
import { longBodyHash, type BodyHash } from './off-thread-hash.js';
import { StoredPrefix } from './stored-prefix.js';
import { makeDirectory } from '../../make-directory.js';

export interface BodyRecorderOptions {
  /** Bytes of the (decoded) body kept in the capture. */
  limitBytes: number;
  /** The Content-Type header value, or null. */
  contentType: string | null;
  /** The Content-Encoding header value, or null; gzip/deflate/br are decoded for the stored copy. */
  contentEncoding: string | null;
  /** Directory for the full wire body as a file named by its SHA-256, or null. */
  bodiesDir: string | null;
  /** Directory `Body.file` is made relative to (the capture file's); absolute path when omitted. */
  relativeTo?: string;
}

const DECODERS: Record<string, () => Transform> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

/** Media type without parameters, lower case (`application/json; charset=utf-8` → `application/json`). */
export function mediaTypeOf(contentType: string | null): string | null {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type ? type : null;
}

/** SHA-256 of the empty body (most requests have one). */
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export class BodyRecorder {
  /**
   * Made only once the body outgrows the stored prefix: until then the prefix holds every wire
   * byte and is hashed in one call at the end (a Hash object per body was a measurable share of
   * a small request's cost). A longer body is hashed on the hashing thread (off-thread-hash.ts),
   * or on this one where the process may not start threads.
   */
  private hash: BodyHash | null = null;
  private size = 0;
  private readonly raw: StoredPrefix;
  private decoded: StoredPrefix | null = null;
  private decoder: Transform | null = null;
  /** Settles when the decoder has given all its output (set with the decoder). */
  private decoderDone: Promise<void> | null = null;
  private readonly encoding: string | null;
  private file: { fd: number; tmp: string } | null = null;
  private fileError: Error | null = null;
  private finished = false;

  constructor(private readonly options: BodyRecorderOptions) {
    this.raw = new StoredPrefix(options.limitBytes);
    const encoding = options.contentEncoding?.trim().toLowerCase() ?? null;
    const makeDecoder = encoding ? DECODERS[encoding] : undefined;
    this.encoding = makeDecoder ? encoding : null;
    if (makeDecoder) this.startDecoder(makeDecoder());
    if (options.bodiesDir) this.openFile(options.bodiesDir);
  }

  /** Total wire bytes written so far. */
  get sizeBytes(): number {
    return this.size;
  }

  /**
   * Records a chunk of the wire body. Returns false when the decoder is behind: the caller should
   * pause its source until `onceDrained` fires (this is what keeps memory bounded).
   */
  write(chunk: Buffer): boolean {
    if (this.finished) return true; // the record is being written (recording stopped mid-body)
    this.size += chunk.length;
    if (!this.hash && this.size > this.options.limitBytes) this.startHash();
    const hashOk = this.hash ? this.hash.update(chunk) : true;
    this.raw.add(chunk);
    if (this.file) this.writeFile(chunk);
    const decoderOk = this.decoder ? this.decoder.write(chunk) : true;
    return hashOk && decoderOk;
  }

  /** Calls `fn` once both the hash and the decoder can take more input (at once if they can). */
  onceDrained(fn: () => void): void {
    const hash = this.hash;
    const afterHash = (): void => {
      if (this.decoder?.writableNeedDrain) this.decoder.once('drain', fn);
      else fn();
    };
    if (hash) hash.onceDrained(afterHash);
    else afterHash();
  }

  /** The wire bytes so far go into a running hash (they are all in the prefix: see `hash`). */
  private startHash(): void {
    this.hash = longBodyHash();
    if (this.raw.totalBytes > 0) this.hash.update(this.raw.bytes());
  }

  /** Ends the body and returns its record; at once unless its hash or decoder is still busy. Call once. */
  finish(): Body | Promise<Body> {
    this.finished = true;
    if (this.decoder) this.decoder.end();
    const decoded = this.decoder ? this.decoderDone : null;
    if (!this.hash) {
      const sha256 = this.size === 0 ? EMPTY_SHA256 : hashOnce('sha256', this.raw.bytes(), 'hex');
      return decoded ? decoded.then(() => this.record(sha256)) : this.record(sha256);
    }
    return Promise.all([this.hash.digest(), decoded]).then(([sha256]) => this.record(sha256));
  }

  private record(sha256: string): Body {
    const file = this.closeFile(sha256);
    const decoded = this.decoded;
    const stored = decoded ?? this.raw;
    const { encoding, data, keptBytes } = stored.render();
    return {
      sizeBytes: this.size,
      sha256,
      mediaType: mediaTypeOf(this.options.contentType),
      contentEncoding: decoded ? this.encoding : null,
      encoding,
      data,
      truncatedBytes: stored.totalBytes - keptBytes,
      file,
    };
  }

  private startDecoder(decoder: Transform): void {
    this.decoder = decoder;
    this.decoded = new StoredPrefix(this.options.limitBytes);
    const decoded = this.decoded;
    decoder.on('data', (out: Buffer) => decoded.add(out));
    this.decoderDone = new Promise<void>((resolve) => {
      decoder.once('end', resolve);
      decoder.once('error', () => {
        // Not really encoded as announced (or cut short): store the wire bytes instead.
        this.decoded = null;
        this.decoder = null;
        decoder.destroy();
        resolve();
      });
    });
  }

  private openFile(dir: string): void {
    try {
      // Bodies hold passwords and tokens: owner-only (a new file's mode can only lose bits to the umask).
      makeDirectory(dir, 0o700);
      const tmp = join(dir, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
      this.file = { fd: openSync(tmp, 'wx', 0o600), tmp };
    } catch (err) {
      this.fileError = err as Error;
    }
  }

  private writeFile(chunk: Buffer): void {
    if (!this.file) return;
    try {
      // Synchronous on purpose: the page cache absorbs it and memory cannot pile up behind a slow disk.
      let off = 0;
      while (off < chunk.length) off += writeSync(this.file.fd, chunk, off, chunk.length - off);
    } catch (err) {
      this.fileError = err as Error;
      this.discardFile();
    }
  }

  private closeFile(sha256: string): string | null {
    if (this.fileError) {
      const code = (this.fileError as NodeJS.ErrnoException).code ?? this.fileError.message;
      throw new Error(`${this.options.bodiesDir}: cannot write body file (${code})`);
    }
    if (!this.file || !this.options.bodiesDir) return null;
    const target = join(this.options.bodiesDir, sha256);
    closeSync(this.file.fd);
    if (existsSync(target)) {
      unlinkSync(this.file.tmp);
      try {
        chmodSync(target, 0o600); // the same body from an earlier run, maybe written before files were private
      } catch {
        // Another user's file in a shared directory: not ours to change; our copy was not written.
      }
    } else renameSync(this.file.tmp, target);
    this.file = null;
    return this.options.relativeTo ? relative(this.options.relativeTo, target) : target;
  }

  private discardFile(): void {
    if (!this.file) return;
    try {
      closeSync(this.file.fd);
      unlinkSync(this.file.tmp);
    } catch {
      // Already gone: nothing left to clean up.
    }
    this.file = null;
  }
}
