/**
 * `--profile auto|openstack|http` through the built bin (`npm run build` first): the automatic
 * choice gives the pinned page, the flag overrides it on render, export and diff, and an unknown
 * name is a one-line usage error (exit 2) on every command that renders.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/flowscribe-cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const fixture = (path: string): string => join(ROOT, 'test/fixtures', path);
const GENERIC = fixture('captures/http-generic.jsonl');
const REFERENCE = fixture('captures/openstack-image-create-reference.jsonl');

const work = mkdtempSync(join(tmpdir(), 'flowscribe-profile-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function renderTo(name: string, args: string[]): Promise<string> {
  const out = join(work, name, 'http-generic.md');
  const r = await runCli(['render', ...args, '-o', out], { cwd: ROOT });
  expect(r.code, r.stderr).toBe(0);
  return readFileSync(out, 'utf8');
}

describe('flowscribe render --profile', () => {
  it('chooses the http profile for a capture without Keystone: the page is the pinned golden', async () => {
    const page = await renderTo('auto', [GENERIC]);
    expect(page).toBe(readFileSync(fixture('captures/http-generic.md'), 'utf8'));
    expect(await renderTo('http', [GENERIC, '--profile', 'http'])).toBe(page);
  });

  it('renders the same capture the OpenStack way with --profile openstack', async () => {
    const page = await renderTo('openstack', [GENERIC, '--profile', 'openstack']);
    expect(page).toContain('## Sequence Diagram (with limits)');
    expect(page).toMatch(/=== "Body"\n {4}``` json title="" linenums="1"\n {4}None\n/);
  });

  it('renders an OpenStack capture as plain HTTP with --profile http', async () => {
    const out = join(work, 'reference-http.md');
    const r = await runCli(['render', REFERENCE, '--profile', 'http', '-o', out], { cwd: ROOT });
    expect(r.code, r.stderr).toBe(0);
    const page = readFileSync(out, 'utf8');
    expect(page).toContain('## Command\n``` bash title="openstack command"');
    expect(page).not.toContain('keystone-api');
  });
});

describe('--profile on export and diff', () => {
  it('export: token owners are the profile\'s (Keystone names them; plain HTTP does not)', async () => {
    const har = (profile: string) => runCli(['export', REFERENCE, '--format', 'har', '--secrets', 'label', '--profile', profile], { cwd: ROOT });
    const [auto, http] = await Promise.all([har('auto'), har('http')]);
    expect(auto.code, auto.stderr).toBe(0);
    expect(http.code, http.stderr).toBe(0);
    expect(auto.stdout).toContain('{token: admin@admin}');
    expect(http.stdout).not.toContain('{token: admin@admin}');
    expect(http.stdout).toContain('{token: unknown-1}');
  });

  it('diff: participants are named by the profile', async () => {
    const diff = (profile: string) => runCli(['diff', REFERENCE, GENERIC, '--profile', profile], { cwd: ROOT });
    const [auto, http] = await Promise.all([diff('auto'), diff('http')]);
    expect(auto.code).toBe(1);
    expect(http.code).toBe(1);
    expect(auto.stdout).toContain('keystone-api');
    expect(http.stdout).not.toContain('keystone-api');
  });
});

describe('an unknown profile', () => {
  const commands: Array<[string, string[]]> = [
    ['render', ['render', GENERIC, '-o', join(work, 'never.md')]],
    ['site', ['site', GENERIC, '--docs', join(work, 'never-docs'), '--mkdocs-config', join(work, 'never.yml')]],
    ['diff', ['diff', GENERIC, GENERIC]],
    ['export', ['export', GENERIC, '--format', 'har']],
  ];
  for (const [name, args] of commands) {
    it(`${name}: one line naming the flag and the value, exit 2, nothing written`, async () => {
      const r = await runCli([...args, '--profile', 'nova'], { cwd: ROOT });
      expect(r.code).toBe(2);
      const lines = r.stderr.split('\n').filter(Boolean);
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/^flowscribe: .*profile.*"nova".*"openstack", "http"/);
      expect(r.stdout).toBe('');
      expect(readdirSync(work).filter((f) => f.startsWith('never'))).toEqual([]);
    });
  }
});
