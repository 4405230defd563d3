import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/shipped-capture.js';

// V8's young generation starts with 1 MiB semi-spaces (2 MiB in all, `new_space` below) and grows
// to 16 MiB ones while most of what is made survives, as a capture being read does.
const STARTING_NEW_SPACE = 2.5 * 1024 * 1024;
const BIN = join(REPO_ROOT, 'bin', 'flowscribe');
const dir = mkdtempSync(join(tmpdir(), 'flowscribe-young-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Loaded by each child through NODE_OPTIONS (not a V8 flag: the code caches stay usable): at exit
// it prints the young generation's size.
const HOOK = join(dir, 'new-space.cjs');
writeFileSync(HOOK, `process.on('exit', () => {
  const space = require('node:v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
  process.stderr.write('new_space ' + space.space_size + '\\n');
});\n`);

function newSpaceAfter(command: string, args: string[]): number {
  const r = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: `--require ${HOOK}` } });
  expect(r.status, r.stderr).toBe(0);
  const size = /^new_space (\d+)$/m.exec(r.stderr)?.[1];
  expect(size, r.stderr).toBeDefined();
  return Number(size);
}

describe('the young generation of reading and rendering a capture', () => {
  it('stays at its starting size through the render of a capture of 1,000 exchanges', () => {
    const capture = join(dir, 'c1000.jsonl');
    const made = spawnSync(process.execPath, [join(REPO_ROOT, 'bench', 'render.mjs'), '--write', '1000', capture], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    expect(newSpaceAfter(BIN, ['render', capture, '--out', join(dir, 'page.md')])).toBeLessThanOrEqual(STARTING_NEW_SPACE);
  });

  it("gives V8 its own growth back afterwards (V8's default, as `node --v8-options` states it)", async () => {
    const { V8_SEMI_SPACE_GROWTH_FACTOR } = await import('../../src/cli/young-generation.js');
    const options = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8' }).stdout;
    expect(options).toContain(`default: --semi-space-growth-factor=${V8_SEMI_SPACE_GROWTH_FACTOR}\n`);
    // The same kind of work after the helper grows the young generation as before it.
    const module = pathToFileURL(join(REPO_ROOT, 'dist', 'cli', 'young-generation.js')).href;
    const script = `const { withSmallYoungGeneration } = await import(${JSON.stringify(module)});
      const fill = () => { const kept = []; for (let i = 0; i < 300000; i += 1) kept.push({ i, s: 'x' + i }); return kept.length; };
      await withSmallYoungGeneration(async () => fill());
      const small = require('node:v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
      fill();
      process.stderr.write('inside ' + small + '\\n');`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script.replace("require('node:v8')", '(await import("node:v8")).default')], {
      encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: `--require ${HOOK}` },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(Number(/^inside (\d+)$/m.exec(r.stderr)?.[1])).toBeLessThanOrEqual(STARTING_NEW_SPACE);
    expect(Number(/^new_space (\d+)$/m.exec(r.stderr)?.[1])).toBeGreaterThan(STARTING_NEW_SPACE);
  });
});
