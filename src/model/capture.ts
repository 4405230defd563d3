/**
 * Reading a capture back: parse each JSON line, validate it against `schema/capture.schema.json`,
 * and assemble a typed `Capture`. Errors name `file:line`. A truncated *last* line is what a killed
 * recorder leaves behind, so it becomes a warning; any other bad line is an error.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Ajv, type ValidateFunction, type ErrorObject } from 'ajv';
import { UserError } from '../errors.js';
import {
  FORMAT_VERSION,
  type Capture,
  type CaptureRecord,
  type ExchangeRecord,
  type HeaderRecord,
  type TrailerRecord,
} from './exchange.js';

let ajv: Ajv | undefined;
let validator: ValidateFunction | undefined;
const byType = new Map<string, ValidateFunction | null>();
const SCHEMA_ID = 'https://flowscribe.invalid/schema/capture-v1.json';

/** One Ajv holding the schema (the package's `schema/`), compiled lazily part by part. */
function schemaAjv(): Ajv {
  if (!ajv) {
    const schemaUrl = new URL('../../schema/capture.schema.json', import.meta.url);
    const schema: unknown = JSON.parse(readFileSync(schemaUrl, 'utf8'));
    // Shared definitions compiled once rather than inlined at every use: a third less compile time.
    ajv = new Ajv({ allErrors: false, strict: false, inlineRefs: false });
    ajv.addSchema(schema as object, SCHEMA_ID);
  }
  return ajv;
}

/** The compiled capture-record validator (the whole schema: `oneOf` header, exchange, trailer). */
export function captureRecordValidator(): ValidateFunction {
  validator ??= schemaAjv().getSchema(SCHEMA_ID);
  if (!validator) throw new Error('capture schema did not compile');
  return validator;
}

/**
 * The schema's own definition for one record type (`#/definitions/exchange`), or null for an
 * unknown type. Trying only that branch is what makes reading fast: the `oneOf` tries them all.
 */
export function typeValidator(type: unknown): ValidateFunction | null {
  if (type !== 'header' && type !== 'exchange' && type !== 'trailer') return null;
  if (!byType.has(type)) byType.set(type, schemaAjv().getSchema(`${SCHEMA_ID}#/definitions/${type}`) ?? null);
  return byType.get(type) ?? null;
}

export function describeSchemaError(errors: ErrorObject[] | null | undefined): string {
  const e = errors?.[0];
  if (!e) return 'does not match the capture schema';
  return `does not match the capture schema (${e.instancePath || '/'} ${e.message ?? ''})`.trim();
}

/** Parses and validates one line; throws a UserError naming `where` (`file:line`). */
export function parseRecord(line: string, where: string): CaptureRecord {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    throw new UserError(`${where}: not valid JSON (${(err as Error).message})`);
  }
  if (typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'header') {
    const version = (value as { formatVersion?: unknown }).formatVersion;
    if (version !== FORMAT_VERSION) {
      throw new UserError(
        `${where}: unknown capture format version ${JSON.stringify(version)} (this flowscribe reads version ${FORMAT_VERSION})`,
        1,
        'record it again with this flowscribe, or use the flowscribe version that wrote it',
      );
    }
  }
  // The definitions are disjoint on `type`, so passing its own branch is passing the `oneOf`;
  // a failing record is checked again by the whole schema, so the message is the one it gives.
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  if (typeValidator(type)?.(value)) return value as CaptureRecord;
  const validate = captureRecordValidator();
  if (!validate(value)) throw new UserError(`${where}: ${describeSchemaError(validate.errors)}`);
  return value as CaptureRecord;
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
      if (err instanceof UserError && this.header && !/format version/.test(err.message)) {
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

  finish(): Capture {
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
  return builder.finish();
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
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  for await (const line of lines) builder.addLine(line);
  return builder.finish();
}
