#!/usr/bin/env node
// Writes the generated sources from their originals, with the built code (`npm run generate`
// builds first); run it after changing schema/capture.schema.json or templates/:
// - src/model/capture-validators.ts: the capture schema's validators precompiled by ajv, so
//   reading a capture does not load ajv nor compile the schema at every start;
// - src/render/precompiled-templates.ts: the shipped templates precompiled by handlebars, so
//   rendering needs only its runtime.
// Tests fail while either is stale (test/model/capture-validators.test.ts, test/render/templates.test.ts).
import { writeFileSync } from 'node:fs';
import { validatorModuleSource } from '../dist/model/capture-schema.js';
import { precompiledTemplatesSource } from '../dist/publish/template-files.js';

for (const [path, text] of [
  ['../src/model/capture-validators.ts', validatorModuleSource()],
  ['../src/render/precompiled-templates.ts', precompiledTemplatesSource()],
]) {
  const target = new URL(path, import.meta.url);
  writeFileSync(target, text);
  console.log(`wrote ${target.pathname}`);
}
