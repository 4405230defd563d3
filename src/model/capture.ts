/**
 * Reading a capture back: parse each JSON line, validate it against `schema/capture.schema.json`,
 * and assemble a typed `Capture`. Errors name `file:line`. A truncated *last* line is what a killed
 * recorder leaves behind, so it becomes a warning; any other bad line is an error.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
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
  const plain = errors.filter((e) => !/\/(allOf|oneOf|if|then|not)\b/.test(e.schemaPath) && e.keyword !== 'if');
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

/** Reads a capture file line by line (memory stays proportional to the largest line). */
export async function readCapture(path: string): Promise<Capture> {
  const builder = new CaptureBuilder(path);
  const stream = createReadStream(path, { encoding: 'utf8' });
  const opened = new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (err: NodeJS.ErrnoException) =>
      reject(new UserError(`${path}: cannot read capture (${err.code ?? err.message})`)),
    );
  });
  await opened;
  let lastChar = '';
  stream.on('data', (chunk: string | Buffer) => {
    if (chunk.length > 0) lastChar = String(chunk[chunk.length - 1]);
  });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const line of lines) builder.addLine(line);
  } catch (err) {
    if (err instanceof UserError) throw err;
    const e = err as NodeJS.ErrnoException;
    const what = e.code === 'EISDIR' ? 'is a directory, not a capture file' : `cannot read capture (${e.code ?? e.message})`;
    throw new UserError(`${path}: ${what}`);
  }
  return builder.finish(lastChar === '\n');
}
