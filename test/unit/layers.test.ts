/**
 * The layers, checked from the imports themselves:
 *   cli → playbook → (capture | publish) → render → model
 * model imports no other layer; render imports no node built-in and reads no clock or environment
 * (it turns the model into strings); only capture does network and process I/O of recording, only
 * publish and playbook write files; no import cycles anywhere in src/.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/shipped-capture.js';

const SRC = join(REPO_ROOT, 'src');
type Layer = 'model' | 'render' | 'capture' | 'publish' | 'playbook' | 'cli' | 'root';

/** What each layer may import (besides itself); `root` is errors.ts/version.ts, which import nothing. */
const ALLOWED: Record<Layer, Layer[]> = {
  root: [],
  model: ['root'],
  render: ['model', 'root'],
  capture: ['model', 'root'],
  publish: ['render', 'model', 'root'],
  playbook: ['capture', 'publish', 'render', 'model', 'root'],
  cli: ['playbook', 'capture', 'publish', 'render', 'model', 'root'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const files = sourceFiles(SRC).map((f) => relative(SRC, f)).filter((f) => f !== 'index.ts');

function layerOf(file: string): Layer {
  const top = (file.includes('/') ? file.split('/')[0] : undefined) ?? 'root';
  if (!(top in ALLOWED)) throw new Error(`src/${file}: in no known layer (${top})`);
  return top as Layer;
}

/** Import specifiers of a file: static `from '…'`, side-effect `import '…'`, and dynamic `import('…')`. */
function specifiers(file: string): string[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*|^import\s+)['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? '');
}

/** The src-relative .ts file a relative specifier names. */
function target(from: string, spec: string): string {
  return normalize(join(dirname(from), spec)).replace(/\.js$/, '.ts');
}

const internal = new Map(files.map((f) => [f, specifiers(f).filter((s) => s.startsWith('.')).map((s) => target(f, s))]));

describe('layers', () => {
  it('every import goes down the layers, never up or sideways', () => {
    const wrong = files.flatMap((f) =>
      (internal.get(f) ?? [])
        .filter((t) => layerOf(t) !== layerOf(f) && !ALLOWED[layerOf(f)].includes(layerOf(t)))
        .map((t) => `src/${f} → src/${t}`),
    );
    expect(wrong).toEqual([]);
  });

  it('render is pure: no node built-ins, no clock, no environment', () => {
    const impure = files
      .filter((f) => layerOf(f) === 'render')
      .flatMap((f) => {
        const text = readFileSync(join(SRC, f), 'utf8');
        const builtins = specifiers(f).filter((s) => s.startsWith('node:') || ['fs', 'child_process', 'net', 'http', 'https', 'os'].includes(s));
        const ambient = [...text.matchAll(/\b(process\.\w+|Date\.now\(\)|new Date\(\))/g)].map((m) => m[1] ?? '');
        return [...builtins, ...ambient].map((what) => `src/${f}: ${what}`);
      });
    expect(impure).toEqual([]);
  });

  it('has no import cycles', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (f: string, path: string[]): void => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'visiting') {
        cycles.push([...path.slice(path.indexOf(f)), f].join(' → '));
        return;
      }
      state.set(f, 'visiting');
      for (const t of internal.get(f) ?? []) visit(t, [...path, f]);
      state.set(f, 'done');
    };
    for (const f of files) visit(f, []);
    expect(cycles).toEqual([]);
  });
});
