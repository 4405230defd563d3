/**
 * Reading a capture back: parse each JSON line, validate it against `schema/capture.schema.json`,
 * and assemble a typed `Capture`. Errors name `file:line`. A truncated *last* line is what a killed
 * recorder leaves behind, so it becomes a warning; any other bad line is an error.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { Ajv, ValidateFunction, ErrorObject } from 'ajv';
import { UserError } from '../errors.js';
import { captureSchemaAjv, SCHEMA_ID, type RecordType } from './capture-schema.js';
import * as precompiled from './capture-validators.js';
import {
  FORMAT_VERSION,
  type Capture,
  type CaptureRecord,
  type ExchangeRecord,
  type HeaderRecord,
  type TrailerRecord,
} from './exchange.js';

let explainingAjv: Ajv | undefined;
let wholeSchema: ValidateFunction | undefined;

/** The precompiled validators as ajv types them (the generated module is not type-checked). */
const validators = precompiled as unknown as Record<RecordType, ValidateFunction>;

/**
 * Why a record of a known type fails, for the message. The fast validator stops at its first
 * error, which may be a state rule (`allOf`/`if`) tripping over a missing field; only on failure
 * is every error collected, and a plain one (missing field, wrong type) preferred.
 */
function explainFailure(type: string, value: unknown): string {
  explainingAjv ??= captureSchemaAjv(true);
  const validate = explainingAjv.getSchema(`${SCHEMA_ID}#/definitions/${type}`);
  if (!validate || validate(value)) return describeSchemaError(null);
  const errors = validate.errors ?? [];
  const plain = errors.filter((e) => !/\/(allOf|anyOf|oneOf|if|then|not)\b/.test(e.schemaPath) && e.keyword !== 'if');
  return describeSchemaError(plain.length > 0 ? plain : errors);
}

/**
 * The capture-record validator (the whole schema: `oneOf` header, exchange, trailer), compiled on
 * first use: reading checks each record against its own type's precompiled definition instead.
 */
export function captureRecordValidator(): ValidateFunction {
  wholeSchema ??= captureSchemaAjv(false).getSchema(SCHEMA_ID);
  if (!wholeSchema) throw new Error('capture schema did not compile');
  return wholeSchema;
}

/**
 * The schema's own definition for one record type (`#/definitions/exchange`), or null for an
 * unknown type. Trying only that branch is what makes reading fast: the `oneOf` tries them all.
 */
export function typeValidator(type: unknown): ValidateFunction | null {
  if (type !== 'header' && type !== 'exchange' && type !== 'trailer') return null;
  return validators[type];
}

export function describeSchemaError(errors: ErrorObject[] | null | undefined): string {
  const e = errors?.[0];
  if (!e) return 'does not match the capture schema';
  return `does not match the capture schema (${e.instancePath || '/'} ${e.message ?? ''})`.trim();
}

/** A line that is not JSON at all: the one failure a killed recorder's cut last line can show. */
class NotJsonError extends UserError {}

function checkVersion(value: unknown, where: string): void {
  if (typeof value !== 'object' || value === null || (value as { type?: unknown }).type !== 'header') return;
  const version = (value as { formatVersion?: unknown }).formatVersion;
  if (version === FORMAT_VERSION) return;
  throw new UserError(
    `${where}: unknown capture format version ${JSON.stringify(version)} (this flowscribe reads version ${FORMAT_VERSION})`,
    1,
    'record it again with this flowscribe, or use the flowscribe version that wrote it',
  );
}

/**
 * Parses and validates one line; throws a UserError naming `where` (`file:line`). A record is
 * checked against its own type's definition (the schema's `oneOf` is disjoint on `type`), so a bad
 * exchange is reported as an exchange, not with the first branch's (the header's) complaint.
 */
export function parseRecord(line: string, where: string): CaptureRecord {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    throw new NotJsonError(`${where}: not valid JSON (${(err as Error).message})`);
  }
  checkVersion(value, where);
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  const own = typeValidator(type);
  if (own) {
    if (own(value)) return value as CaptureRecord;
    throw new UserError(`${where}: ${String(type)} record ${explainFailure(String(type), value)}`);
  }
  const found = type === undefined ? 'no "type"' : `"type" ${JSON.stringify(type)}`;
  throw new UserError(`${where}: not a capture record (${found}; expected "header", "exchange" or "trailer")`);
}

/** Collects records into a Capture, checking their order. */
class CaptureBuilder {
  private header: HeaderRecord | null = null;
  private trailer: TrailerRecord | null = null;
  private readonly exchanges: ExchangeRecord[] = [];
  readonly warnings: string[] = [];
  private pendingBad: { where: string; error: UserError } | null = null;
  private lineNo = 0;

  constructor(private readonly name: string) {}

  addLine(line: string): void {
    this.lineNo += 1;
    if (line.trim() === '') return;
    // A bad line is only forgivable if it turns out to be the last one (a killed recorder).
    if (this.pendingBad) throw this.pendingBad.error;
    const where = `${this.name}:${this.lineNo}`;
    let record: CaptureRecord;
    try {
      record = parseRecord(line, where);
    } catch (err) {
      // Only text that is not JSON at all may be a cut line; a record the schema rejects never is.
      if (err instanceof NotJsonError && this.header) {
        this.pendingBad = { where, error: err };
        return;
      }
      throw err;
    }
    this.add(record, where);
  }

  private add(record: CaptureRecord, where: string): void {
    if (this.header === null) {
      if (record.type !== 'header') throw new UserError(`${where}: expected the capture header first, found a ${record.type} record`);
      this.header = record;
      return;
    }
    if (record.type === 'header') throw new UserError(`${where}: a second header record`);
    if (this.trailer) throw new UserError(`${where}: a record after the trailer`);
    if (record.type === 'trailer') this.trailer = record;
    else this.exchanges.push(record);
  }

  /**
   * `endsWithNewline`: whether the text's last line was terminated. The writer ends every record
   * with one, so an unterminated bad last line is a killed recorder's cut; a terminated one is an error.
   */
  finish(endsWithNewline: boolean): Capture {
    if (this.pendingBad && endsWithNewline) throw this.pendingBad.error;
    if (this.pendingBad) {
      this.warnings.push(`${this.pendingBad.where}: incomplete last line ignored (the recorder was probably killed)`);
    }
    if (!this.header) throw new UserError(`${this.name}: empty file, not a flowscribe capture`);
    if (!this.trailer) this.warnings.push(`${this.name}: no trailer record (the recording did not finish)`);
    const seen = new Set<number>();
    for (const e of this.exchanges) {
      if (seen.has(e.seq)) throw new UserError(`${this.name}: exchange seq ${e.seq} appears twice`);
      seen.add(e.seq);
    }
    const exchanges = [...this.exchanges].sort((a, b) => a.seq - b.seq);
    return { header: this.header, exchanges, trailer: this.trailer, warnings: this.warnings };
  }
}

/** Parses a whole capture held in memory. `name` is used in messages (usually the file path). */
export function parseCapture(text: string, name: string): Capture {
  const builder = new CaptureBuilder(name);
  const lines = text.split('\n');
  if (text.endsWith('\n')) lines.pop();
  for (const line of lines) builder.addLine(line);
  return builder.finish(text.endsWith('\n'));
}

/** Bytes read at a time, into one reused buffer (readline's 64 KiB reads and decoded chunks cost a tenth of reading). */
const READ_SIZE = 1 << 20;

/**
 * Bytes decoded into one string at a time (then cut at the next LF). A string of a whole read
 * would be a large object, fresh memory for every read, and touching fresh memory cost more than
 * decoding here; this size stays in the young generation, whose pages are reused.
 */
const DECODE_SIZE = 1 << 15;

/**
 * Feeds `onLine` the text's lines as readline splits them (LF, CRLF or a lone CR ends a line) and
 * says whether the text ended with LF. Lines are cut at LF bytes, which never occur inside a UTF-8
 * sequence: a read's complete lines are decoded some 32 KiB at a time and split in JavaScript (a
 * decode per line cost a native call each); a line spanning reads is joined as bytes first.
 */
export async function forEachLine(file: FileHandle, onLine: (line: string) => void): Promise<boolean> {
  const emit = (text: string): void => {
    const line = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (line.includes('\r')) for (const part of line.split('\r')) onLine(part);
    else onLine(line);
  };
  // Two buffers: the next read runs while this one's lines are parsed (with one, the thread sat
  // idle through every read).
  let reading = Buffer.allocUnsafe(READ_SIZE);
  let parsing = Buffer.allocUnsafe(READ_SIZE);
  let next = file.read(reading, 0, READ_SIZE, null);
  let carry: Buffer[] = [];
  let lastByte = -1;
  for (;;) {
    const { bytesRead } = await next;
    if (bytesRead === 0) break;
    [reading, parsing] = [parsing, reading];
    next = file.read(reading, 0, READ_SIZE, null);
    // A throw below leaves this read in flight: its failure is of no interest then.
    next.catch(() => undefined);
    const chunk = parsing.subarray(0, bytesRead);
    lastByte = chunk[bytesRead - 1] ?? -1;
    const lastEnd = chunk.lastIndexOf(0x0a);
    let start = 0;
    if (lastEnd !== -1 && carry.length > 0) {
      const end = chunk.indexOf(0x0a);
      emit(Buffer.concat([...carry, chunk.subarray(0, end)]).toString('utf8'));
      carry = [];
      start = end + 1;
    }
    // Every LF from `start` to `lastEnd` (included) ends one line: each split gives one per LF.
    while (lastEnd !== -1 && start <= lastEnd) {
      const end = chunk.indexOf(0x0a, Math.min(start + DECODE_SIZE, lastEnd));
      for (const line of chunk.toString('utf8', start, end).split('\n')) emit(line);
      start = end + 1;
    }
    start = lastEnd + 1;
    if (start < bytesRead) carry.push(Buffer.from(chunk.subarray(start))); // a copy: the buffers are reused
  }
  if (carry.length > 0) emit(Buffer.concat(carry).toString('utf8'));
  return lastByte === 0x0a;
}

/** Reads a capture file line by line (memory stays proportional to the largest line). */
export async function readCapture(path: string): Promise<Capture> {
  const builder = new CaptureBuilder(path);
  let file: FileHandle;
  try {
    file = await open(path, 'r');
  } catch (err) {
    throw new UserError(`${path}: cannot read capture (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let endsWithNewline: boolean;
  try {
    endsWithNewline = await forEachLine(file, (line) => builder.addLine(line));
  } catch (err) {
    if (err instanceof UserError) throw err;
    const e = err as NodeJS.ErrnoException;
    const what = e.code === 'EISDIR' ? 'is a directory, not a capture file' : `cannot read capture (${e.code ?? e.message})`;
    throw new UserError(`${path}: ${what}`);
  } finally {
    await file.close();
  }
  return builder.finish(endsWithNewline);
}
