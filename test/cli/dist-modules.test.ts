import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/shipped-capture.js';

// The CLI runs a bundle (esbuild resolves what Node would not), and the tests import the sources
// through vitest; the package's own entry (`main`: dist/index.js) and every other built module are
// plain ES modules that Node must be able to load as they are (a package path without its `.js`
// extension loads nowhere else but in those two).
const DIST = join(REPO_ROOT, 'dist');

function modules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'bundle' ? [] : modules(path);
    return entry.name.endsWith('.js') ? [path] : [];
  });
}

describe('the built modules', () => {
  it('each load in plain Node', () => {
    const paths = modules(DIST);
    expect(paths.length).toBeGreaterThan(100);
    const script = `for (const url of ${JSON.stringify(paths.map((p) => pathToFileURL(p).href))}) await import(url); console.log('loaded');`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: REPO_ROOT });
    expect(out.trim(), paths.map((p) => relative(DIST, p)).join(' ')).toBe('loaded');
  });
});
