// `node --import` this file to append every module URL the process resolves to the file named by
// FLOWSCRIBE_TRACE_MODULES (a resolve hook: it sees ESM imports of the CLI and its dependencies),
// and at exit the CommonJS files it loaded (the require cache: what CommonJS packages require in
// turn never passes the resolve hook).
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';

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

const required = createRequire(import.meta.url).cache;
process.on('exit', () => {
  const urls = Object.keys(required).map((file) => `${pathToFileURL(file)}\n`);
  appendFileSync(process.env.FLOWSCRIBE_TRACE_MODULES, urls.join(''));
});
