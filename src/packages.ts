/**
 * `import()` and `import.meta.resolve` of the installed packages, in one ES module: the CLI's
 * bundle (scripts/bundle.mjs) is a script compiled with V8's code cache, where Node 20 runs neither
 * without an experimental flag, so the bundle asks this very module (bin/flowscribe loads it when
 * the first package is asked for). Only bare package names: they resolve alike from any dist/ module.
 */
export function importPackage<T>(name: string): Promise<T> {
  return import(name) as Promise<T>;
}

/** A promise, as the bundle can only give it: it loads this module first. */
export async function resolvePackage(name: string): Promise<string> {
  return import.meta.resolve(name);
}
