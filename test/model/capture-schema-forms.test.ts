/**
 * The schema says "null or an instant" and "null or a response" as `anyOf` with the object first,
 * and a completed exchange's response as "not null", so a valid line is accepted without a failing
 * branch or a second check. This holds that to the plain way of saying the same (`oneOf` with null
 * first, the response checked again), as the schema said it before: over mutations of the reference
 * capture's records, the same verdict and the same one-line message.
 *
 * The same for the source's `discriminator` (only the branch its `kind` names is tried; the plain
 * form is the `oneOf` alone), except for the message of a bad source, where the two differ on
 * purpose: the plain form reports the first branch's complaint whatever the kind
 * (`must have required property 'label'` for a process), the discriminator what is wrong in the
 * branch its kind names, or with the kind itself (`tag "kind" must be string`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { describeSchemaError, parseRecord } from '../../src/model/capture.js';
import { REPO_ROOT } from '../helpers/shipped-capture.js';

type Schema = {
  definitions: Record<string, unknown> & {
    exchange: { allOf: Array<{ then: { properties: Record<string, unknown> } }> };
    source: Record<string, unknown>;
  };
};

function plainForm(): Schema {
  const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'schema/capture.schema.json'), 'utf8')) as Schema;
  schema.definitions.nullableInstant = { oneOf: [{ type: 'null' }, { $ref: '#/definitions/instant' }] };
  schema.definitions.nullableResponse = { oneOf: [{ type: 'null' }, { $ref: '#/definitions/response' }] };
  const completed = schema.definitions.exchange.allOf[0];
  if (!completed) throw new Error('schema: no allOf for completed exchanges');
  completed.then.properties.response = { $ref: '#/definitions/response' };
  const { oneOf } = schema.definitions.source;
  if (!Array.isArray(oneOf) || !('discriminator' in schema.definitions.source)) throw new Error('schema: the source is no longer a discriminated oneOf');
  schema.definitions.source = { oneOf };
  return schema;
}

/** The plain form's message, explained as reading explains a failing line (plain errors first). */
const plainAjv = new Ajv({ allErrors: true, strict: false, inlineRefs: false }).addSchema(plainForm() as object, 'plain');

function plainMessage(record: object): string {
  const validate = plainAjv.getSchema('plain#/definitions/exchange');
  if (!validate) throw new Error('plain form did not compile');
  if (validate(record)) return 'ok';
  const errors = validate.errors ?? [];
  const plain = errors.filter((e) => !/\/(allOf|anyOf|oneOf|if|then|not)\b/.test(e.schemaPath) && e.keyword !== 'if');
  return `x:1: exchange record ${describeSchemaError(plain.length > 0 ? plain : errors)}`;
}

function message(record: object): string {
  try {
    parseRecord(JSON.stringify(record), 'x:1');
    return 'ok';
  } catch (err) {
    return (err as Error).message;
  }
}

/** Every value of the record replaced in turn by null, a string, a number, an object and nothing. */
function* mutations(record: Record<string, unknown>): Generator<object> {
  const paths: string[][] = [];
  const walk = (value: unknown, path: string[]): void => {
    if (path.length > 0 && path.join('/') !== 'type') paths.push(path); // another type is another record's question
    if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
  };
  walk(record, []);
  for (const path of paths) {
    for (const replacement of [null, 'x', 1, {}, undefined]) {
      const copy = structuredClone(record);
      const parent = path.slice(0, -1).reduce<Record<string, unknown>>((o, k) => o[k] as Record<string, unknown>, copy);
      const key = path.at(-1) as string;
      if (replacement === undefined) delete parent[key];
      else parent[key] = replacement;
      yield copy;
    }
  }
  for (const state of ['completed', 'failed', 'aborted', 'incomplete']) {
    yield { ...record, state };
    yield { ...record, state, response: null };
    yield { ...record, state, error: { code: 'ECONNRESET', message: 'reset' } };
  }
}

describe('the capture schema against its plain form', () => {
  const lines = readFileSync(join(REPO_ROOT, 'test/fixtures/captures/openstack-image-create-reference.jsonl'), 'utf8').trim().split('\n');
  const exchanges = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((r) => r.type === 'exchange').slice(0, 3);
  // Every kind of source, so each branch of the discriminator is mutated.
  const sources = [
    { kind: 'listener', label: 'glance-api' },
    { kind: 'user-agent', userAgent: 'curl/8' },
    { kind: 'unknown' },
  ];
  const records = [...exchanges, ...sources.map((source) => ({ ...exchanges[0], source }))];

  it('gives every mutated exchange the same verdict and message', () => {
    let rejected = 0;
    let sourceRejected = 0;
    for (const exchange of records) {
      for (const mutated of mutations(exchange)) {
        const expected = plainMessage(mutated);
        if (expected !== 'ok') rejected += 1;
        const shown = JSON.stringify(mutated).slice(0, 200);
        const source = (mutated as { source?: unknown }).source;
        const changedObject = source !== null && typeof source === 'object' && JSON.stringify(source) !== JSON.stringify(exchange.source);
        if (!changedObject || expected === 'ok') {
          expect(message(mutated), shown).toBe(expected);
        } else {
          // A source object changed and rejected: the message pointing into it (the plain form's is
          // often the first branch's, e.g. `must have required property 'label'` for a process).
          sourceRejected += 1;
          expect(message(mutated), shown).toMatch(/ \(\/source(\/\w+)*? (must|tag "kind"|value of tag "kind")[^)]*\)$/);
        }
      }
    }
    expect(sourceRejected).toBeGreaterThan(20);
    expect(rejected).toBeGreaterThan(100);
  });
});
