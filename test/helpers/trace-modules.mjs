// `node --import` this file to append every module URL the process resolves to the file named by
// FLOWSCRIBE_TRACE_MODULES (a resolve hook: it sees ESM imports of the CLI and its dependencies).
import { register } from 'node:module';

register(
  'data:text/javascript,' +
    encodeURIComponent(`
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(process.env.FLOWSCRIBE_TRACE_MODULES, resolved.url + '\\n');
  return resolved;
}`),
);
