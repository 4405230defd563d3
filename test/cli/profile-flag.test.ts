/**
 * `--profile auto|openstack|http` through the built bin (`npm run build` first): the automatic
 * choice gives the pinned page, and follows a real recording (curl through the recorder to a
 * loopback server) with and without a cloud environment; the flag overrides it on render, export
 * and diff; an unknown name is a one-line usage error (exit 2) on every command that renders.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/flowscribe-cli.js';
import { startJsonUpstream, type JsonUpstream } from '../helpers/loopback-upstream.js';
import { parseDiagram } from '../helpers/mermaid-arrows.js';

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

describe('the automatic choice on a real recording (curl → recorder → loopback server)', () => {
  let upstream: JsonUpstream;
  beforeAll(async () => {
    upstream = await startJsonUpstream('http');
  });
  afterAll(() => upstream.close());

  /** Records `curl GET` with `extraEnv` (no other `OS_*` variable) and renders the capture. */
  async function recordAndRender(name: string, extraEnv: Record<string, string>): Promise<{ page: string; diagram: string }> {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OS_')));
    const capture = join(work, `${name}.jsonl`);
    const command = ['curl', '-s', `${upstream.origin}/api/items`];
    const rec = await runCli(['record', '--ca-dir', join(work, 'ca'), '-o', capture, '--', ...command], { env: { ...env, ...extraEnv }, cwd: work });
    expect(rec.code, rec.stderr).toBe(0);
    const out = join(work, name, `${name}.md`);
    const r = await runCli(['render', capture, '-o', out], { cwd: work });
    expect(r.code, r.stderr).toBe(0);
    const page = readFileSync(out, 'utf8');
    return { page, diagram: page.slice(page.indexOf('sequenceDiagram')) };
  }

  it('plain HTTP gets the http profile; the same command configured for a cloud gets the openstack one', async () => {
    const plain = await recordAndRender('plain', {});
    const cloud = await recordAndRender('cloud', { OS_AUTH_URL: 'http://127.0.0.1:5000/v3' });
    const host = upstream.origin.slice('http://'.length);
    for (const { diagram } of [plain, cloud]) expect(parseDiagram(diagram).participants).toEqual(['curl-client', host]);
    expect(plain.page).toMatch(/=== "Body"\n {4}``` json title="" linenums="1"\n {4}\n {4}```/);
    expect(plain.page).not.toMatch(/\n {4}None\n/);
    expect(cloud.page).toMatch(/=== "Body"\n {4}``` json title="" linenums="1"\n {4}None\n/);
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
