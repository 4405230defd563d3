import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/shipped-capture.js';

// What the launcher's sh line gives node: here `node` is a stand-in on PATH that prints the
// arguments it was given, so the sh line itself is what runs.
const BIN = join(REPO_ROOT, 'bin', 'flowscribe');
const dir = mkdtempSync(join(tmpdir(), 'flowscribe-launcher-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'node'), '#!/bin/sh\nprintf "%s\\n" "$@"\n');
chmodSync(join(dir, 'node'), 0o755);

function nodeArgs(...args: string[]): string[] {
  const r = spawnSync('sh', [BIN, ...args], { encoding: 'utf8', env: { ...process.env, PATH: `${dir}:${process.env.PATH ?? ''}` } });
  expect(r.status).toBe(0);
  return r.stdout.split('\n').filter((line) => line !== '');
}

function captureOf(bytes: number): string {
  const path = join(dir, `c${bytes}.jsonl`);
  writeFileSync(path, 'x'.repeat(bytes));
  return path;
}

describe('the launcher', () => {
  it("gives render no V8 flag, whatever the capture's size (its young generation is set while it runs: young-generation.test.ts)", () => {
    const big = captureOf(2 * 1024 * 1024);
    expect(nodeArgs('render', big, '-o', 'x.md')).toEqual([BIN, 'render', big, '-o', 'x.md']);
    expect(nodeArgs('site', big)).toEqual([BIN, 'site', big]);
  });
});
