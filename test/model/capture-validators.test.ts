/**
 * The precompiled capture validators (src/model/capture-validators.ts, ajv standalone code) are the
 * schema's: regenerated from schema/capture.schema.json they come out the same, and they decide and
 * explain every record as ajv compiling the schema at run time does.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureSchemaAjv, RECORD_TYPES, SCHEMA_ID, validatorModuleSource } from '../../src/model/capture-schema.js';
import { typeValidator } from '../../src/model/capture.js';
import { REPO_ROOT } from '../helpers/shipped-capture.js';
import { makeExchange, makeHeader, makeTrailer } from '../helpers/exchanges.js';

describe('precompiled capture validators', () => {
  it('are what the schema compiles to now (run `npm run generate` after changing the schema)', () => {
    const committed = readFileSync(join(REPO_ROOT, 'src/model/capture-validators.ts'), 'utf8');
    expect(committed === validatorModuleSource(), 'src/model/capture-validators.ts is stale: npm run generate').toBe(true);
  });

  it('accept, reject and explain each record as the schema compiled at run time does', () => {
    const ajv = captureSchemaAjv(false);
    const exchange = makeExchange({ seq: 1 });
    const records: object[] = [
      makeHeader(), exchange, makeTrailer(1), { ...exchange, seq: 0 }, { ...exchange, extra: 1 }, { ...exchange, state: 'failed' },
      { ...exchange, response: null }, { ...exchange, request: { ...exchange.request, url: 'ftp://x' } }, { ...makeHeader(), cwd: 3 },
      { ...makeTrailer(1), exit: { kind: 'x' } }, { type: 'trailer' }, { type: 'header' },
    ];
    for (const record of records) {
      const type = RECORD_TYPES.find((t) => t === (record as { type?: unknown }).type) ?? 'exchange';
      const runtime = ajv.getSchema(`${SCHEMA_ID}#/definitions/${type}`);
      const precompiled = typeValidator(type);
      if (!runtime || !precompiled) throw new Error(`no validator for ${type}`);
      expect(precompiled(record), JSON.stringify(record)).toBe(runtime(record));
      expect(precompiled.errors ?? null).toEqual(runtime.errors ?? null);
    }
  });

  it('decide every mutation of the fixture captures\' records as the schema compiled at run time does', () => {
    // Each field deleted, replaced by a value of every JSON kind, or joined by an extra field:
    // the verdict, and the place and wording of the first error (what `import` of a HAR reports).
    const ajv = captureSchemaAjv(false);
    const dir = join(REPO_ROOT, 'test/fixtures/captures');
    const records = readdirSync(dir).filter((f) => f.endsWith('.jsonl'))
      .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter((l) => l.startsWith('{"type"') && l.endsWith('}')))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    let compared = 0;
    let rejected = 0;
    for (const record of records) {
      const type = record.type as (typeof RECORD_TYPES)[number];
      const runtime = ajv.getSchema(`${SCHEMA_ID}#/definitions/${type}`);
      const precompiled = typeValidator(type);
      if (!runtime || !precompiled) throw new Error(`no validator for ${type}`);
      for (const mutant of mutations(record)) {
        const verdict = runtime(mutant);
        expect(precompiled(mutant), JSON.stringify(mutant)).toBe(verdict);
        const first = (errors: typeof runtime.errors) => errors?.[0] && `${errors[0].instancePath} ${errors[0].message ?? ''}`;
        expect(first(precompiled.errors), JSON.stringify(mutant)).toBe(first(runtime.errors));
        compared += 1;
        if (!verdict) rejected += 1;
      }
    }
    expect(compared).toBeGreaterThan(20_000);
    expect(rejected).toBeGreaterThan(compared / 2);
  });
});

const KINDS: unknown[] = [null, 0, -1, 1.5, 'x', '', true, [], {}, { kind: 'listener' }];

/** `value` with one change at one place, for every place and change (deep copies). */
function* mutations(value: unknown): Generator<unknown> {
  yield value;
  if (value === null || typeof value !== 'object') return;
  const copy = (): Record<string, unknown> | unknown[] => structuredClone(value) as Record<string, unknown> | unknown[];
  const keys = Object.keys(value);
  for (const key of keys) {
    const child = (value as Record<string, unknown>)[key];
    const dropped = copy();
    if (Array.isArray(dropped)) dropped.splice(Number(key), 1);
    else delete dropped[key];
    yield dropped;
    for (const kind of KINDS) {
      const replaced = copy() as Record<string, unknown>;
      replaced[key] = structuredClone(kind);
      yield replaced;
    }
    for (const inner of mutations(child)) {
      if (inner === child) continue;
      const nested = copy() as Record<string, unknown>;
      nested[key] = inner;
      yield nested;
    }
  }
  if (!Array.isArray(value)) yield { ...value, zz: 1 };
  else yield [...value, 'zz'];
}
