/**
 * The HAR 1.2 JSON Schema of the `har-schema` package, compiled once with the ajv the capture
 * reader uses: HAR import checks each entry against it (so errors name the entry), and tests check
 * every export against the whole document's schema.
 */
import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

const require = createRequire(import.meta.url);
let ajv: Ajv | undefined;

/** One Ajv holding every `har-schema` part (draft-06 schemas referring to each other by `$id`). */
function harAjv(): Ajv {
  if (ajv) return ajv;
  ajv = new Ajv({ strict: false, allErrors: false });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as object);
  // The schema's formats (`date-time`, `uri`, `ipv4`/`ipv6` of `serverIPAddress`, a `oneOf` that
  // only formats can decide) come from ajv's own plugin.
  (require('ajv-formats') as (ajv: Ajv) => Ajv)(ajv);
  const parts = require('har-schema') as Record<string, object>;
  for (const part of Object.values(parts)) ajv.addSchema(part);
  return ajv;
}

function validator(id: string): ValidateFunction {
  const validate = harAjv().getSchema(id);
  if (!validate) throw new Error(`har-schema has no ${id}`);
  return validate;
}

/** Validates a whole HAR document (`{ log: … }`). */
export function harDocumentValidator(): ValidateFunction {
  return validator('har.json#');
}

/** Validates one `log.entries[i]`. */
export function harEntryValidator(): ValidateFunction {
  return validator('entry.json#');
}

/** ajv's first error as `/request/headers/0 must have required property 'value'`. */
export function describeHarError(errors: ErrorObject[] | null | undefined): string {
  const e = errors?.[0];
  if (!e) return 'does not match the HAR 1.2 schema';
  return `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`;
}
