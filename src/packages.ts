/**
 * `import()` and `import.meta.resolve` of the installed packages, in one module: the CLI's bundle
 * (scripts/bundle.mjs) is a script compiled with V8's code cache, where Node 20 runs neither
 * without an experimental flag, so the bundle takes these two from bin/flowscribe instead. Only
 * bare package names: they resolve alike from here, from any dist/ module and from bin/.
 */
export function importPackage<T>(name: string): Promise<T> {
  return import(name) as Promise<T>;
}

export function resolvePackage(name: string): string {
  return import.meta.resolve(name);
}
