/**
 * `flowscribe diff` through the built bin on real lab recordings: exit 0 for two runs of the same
 * command, 1 for a warm vs a cold image create and for a wrong vs a right password, 2 for trouble
 * (missing file, bad filter), and the page with its two side pages.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/flowscribe-cli.js';

const RUNS = new URL('../fixtures/lab-runs/', import.meta.url).pathname;
const run = (name: string): string => join(RUNS, `${name}.jsonl`);
const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('flowscribe diff', () => {
  it('exits 0 and reports no change for two recordings of the same command', async () => {
    const r = await runCli(['diff', run('token-issue'), run('token-issue-again')]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^\+0 −0 ~0 arrows /);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('exits 1 for warm vs cold image create: glance fetches its two tokens only when cold', async () => {
    const r = await runCli(['diff', run('image-create-warm'), run('image-create-cold')]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^\+8 −0 ~0 arrows /);
    expect(lines.slice(1).filter((l) => l.includes('glance-api → keystone-api: POST /v3/auth/tokens'))).toHaveLength(2);
  });

  it('exits 1 for a wrong vs a right password: one changed arrow, 401 → 201', async () => {
    const r = await runCli(['diff', run('token-issue-wrong-password'), run('token-issue')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^\+0 −0 ~1 arrows /);
    expect(r.stdout).toContain('status 401 → 201');
    const ignored = await runCli(['diff', run('token-issue-wrong-password'), run('token-issue'), '--ignore-header', 'WWW-Authenticate', 'x-subject-token']);
    expect(ignored.stdout).not.toContain('headers');
  });

  it('exits 2 with one line for a missing capture and for a bad filter', async () => {
    const missing = await runCli(['diff', run('token-issue'), run('no-such-run')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain('no-such-run.jsonl');
    const bad = await runCli(['diff', run('token-issue'), run('token-issue'), '--include=status>=4x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toMatch(/^flowscribe: --include "status>=4x": at column 1 \("status>=4x"\): status ">=4x" is not 401/);
  });

  it('applies filters to both sides before aligning', async () => {
    const r = await runCli(['diff', run('image-create-warm'), run('image-create-cold'), '--exclude=participant=glance-api,method=POST,path=**/auth/tokens', '--exclude=participant=glance-api,method=GET,path=/']);
    expect(r.code).toBe(0);
  });

  it('-o writes the page and both side pages the table links to', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowscribe-diff-'));
    made.push(dir);
    const out = join(dir, 'docs', 'warm-vs-cold.md');
    const r = await runCli(['diff', run('image-create-warm'), run('image-create-cold'), '-o', out]);
    expect(r.code).toBe(1);
    const page = readFileSync(out, 'utf8');
    expect(page).toContain('rect rgb(214, 245, 214)');
    expect(page).toContain('](warm-vs-cold-b.md#10-post-v3authtokens)');
    expect(existsSync(join(dir, 'docs', 'warm-vs-cold-a.md'))).toBe(true);
    expect(readFileSync(join(dir, 'docs', 'warm-vs-cold-b.md'), 'utf8')).toContain('### (10) POST /v3/auth/tokens');
  });

  it('reads HAR files too: a capture and its own HAR export are the same flow, warm HAR vs cold differs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowscribe-diff-har-'));
    made.push(dir);
    for (const name of ['image-create-warm', 'image-create-cold']) {
      const exported = await runCli(['export', run(name), '--format', 'har', '--secrets', 'raw', '-o', join(dir, `${name}.har`)]);
      expect(exported.code, exported.stderr).toBe(0);
    }
    const same = await runCli(['diff', run('image-create-cold'), join(dir, 'image-create-cold.har')]);
    expect(same.code, same.stderr).toBe(0);
    const differ = await runCli(['diff', join(dir, 'image-create-warm.har'), join(dir, 'image-create-cold.har')]);
    expect(differ.code).toBe(1);
    expect(differ.stdout.split('\n')[0]).toMatch(/^\+8 −0 ~0 arrows /);
  });
});
