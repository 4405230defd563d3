/**
 * The precompiled capture validators (src/model/capture-validators.ts, ajv standalone code) are the
 * schema's: regenerated from schema/capture.schema.json they come out the same, and they decide and
 * explain every record as ajv compiling the schema at run time does.
 */
import { readFileSync } from 'node:fs';
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
});
