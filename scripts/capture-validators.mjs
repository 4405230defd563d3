#!/usr/bin/env node
// Writes src/model/capture-validators.ts: the capture schema's validators precompiled by ajv
// (standalone code), so reading a capture does not compile the schema at every start.
// Run by `npm run schema:validators` (after the build, which it uses) whenever the schema changes.
import { writeFileSync } from 'node:fs';
import { validatorModuleSource } from '../dist/model/capture-schema.js';

const target = new URL('../src/model/capture-validators.ts', import.meta.url);
writeFileSync(target, validatorModuleSource());
console.log(`wrote ${target.pathname}`);
