/**
 * The secrets corpus (test/fixtures/captures/secrets-corpus.jsonl: every credential form of
 * docs/guide/secrets.md, values in secrets-corpus.json) rendered through the real CLI: in `mask`
 * mode no password, secret, key, cookie or bearer value appears in the page (section titles,
 * command block, launch.json, Output), the raw log or the SVG; Keystone's token headers stay
 * visible as the reference page shows them. `label` mode hides every token too; `raw` shows all.
 * The model's `redactCapture` (what exports such as HAR are made from) is checked the same way.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readCapture } from '../../src/model/capture.js';
import { redactCapture } from '../../src/model/redact.js';
import { runCli } from '../helpers/flowscribe-cli.js';

const CORPUS = fileURLToPath(new URL('../fixtures/captures/secrets-corpus.jsonl', import.meta.url));
const VALUES = JSON.parse(readFileSync(new URL('../fixtures/secrets-corpus.json', import.meta.url), 'utf8')) as {
  secrets: Record<string, string>;
  hiddenTokens: Record<string, string>;
  keystoneTokens: Record<string, string>;
};
const basic = Buffer.from(`admin:${VALUES.secrets['basicPassword']}`).toString('base64');
/** Never shown unless raw (the Basic credential also as sent, base64). */
const SECRETS: Record<string, string> = { ...VALUES.secrets, basicCredential: basic };
const work = mkdtempSync(join(tmpdir(), 'flowscribe-secrets-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every text `render` wrote for `mode`: page, log and (with --svg) the diagram images. */
async function rendered(mode: 'mask' | 'label' | 'raw', svg = false): Promise<Record<string, string>> {
  const page = join(work, mode, 'page.md');
  const r = await runCli(['render', CORPUS, '-o', page, '--launch-json', '--secrets', mode, ...(svg ? ['--svg'] : [])]);
  expect(r.code, r.stderr).toBe(0);
  const files: Record<string, string> = { page: readFileSync(page, 'utf8'), log: readFileSync(join(work, mode, 'logs', 'page.log'), 'utf8') };
  if (svg) for (const f of readdirSync(join(work, mode, 'images'))) files[f] = readFileSync(join(work, mode, 'images', f), 'utf8');
  return files;
}

/** `name → output` for each value found in any output (JSON-escaped copies included). */
function leaks(outputs: Record<string, string>, values: Record<string, string>): string[] {
  return Object.entries(values).flatMap(([name, value]) =>
    Object.entries(outputs).filter(([, text]) => text.includes(value)).map(([file]) => `${name} in ${file}`));
}

describe('secrets corpus through flowscribe render', () => {
  it('mask: no secret or non-Keystone token in the page, log, launch.json or SVG; Keystone tokens visible', async () => {
    const out = await rendered('mask', true);
    expect(Object.keys(out).filter((f) => f.endsWith('.svg')).length).toBeGreaterThan(0);
    expect(leaks(out, { ...SECRETS, ...VALUES.hiddenTokens })).toEqual([]);
    const page = out['page'] ?? '';
    for (const token of Object.values(VALUES.keystoneTokens)) expect(page).toContain(token);
    // The places stay, only the values go: the page still documents the flow.
    expect(page).toContain('--os-password \'***\'');
    expect(page).toContain('"OS_PASSWORD": "***"');
    expect(page).toContain('http title="GET http://127.0.0.1:9292/v2/images?limit=5&password=***&token=***"');
    expect(page).toContain('Cookie: session=***; csrftoken=***');
    expect(page).toContain('Authorization: Bearer ***');
    expect(page).toContain('"token": {\n');
    expect(page).toContain('| secret | *** |');
  }, 120_000);

  it('mask: flowscribe site (index, page, log, mkdocs.yml nav) shows none either', async () => {
    const site = join(work, 'site');
    const r = await runCli(['site', CORPUS, '--docs', join(site, 'docs'), '--mkdocs-config', join(site, 'mkdocs.yml'), '--launch-json'], { cwd: work });
    expect(r.code, r.stderr).toBe(0);
    const out = Object.fromEntries(['docs/index.md', 'docs/secrets-corpus.md', 'docs/logs/secrets-corpus.log', 'mkdocs.yml'].map((f) => [f, readFileSync(join(site, f), 'utf8')]));
    expect(out['docs/index.md']).toContain('--os-password');
    expect(leaks(out, { ...SECRETS, ...VALUES.hiddenTokens })).toEqual([]);
  });

  it('label: no token of any kind either, each named after its owner where known', async () => {
    const out = await rendered('label');
    expect(leaks(out, { ...SECRETS, ...VALUES.hiddenTokens, ...VALUES.keystoneTokens })).toEqual([]);
    expect(out['page']).toContain('X-Subject-Token: {token: admin@admin}');
    expect(out['page']).toContain('Authorization: Bearer {token: unknown-');
  });

  it('raw: every value as recorded', async () => {
    const out = await rendered('raw');
    // The Basic password is only on the wire as part of its base64 credential.
    const { basicPassword: _decoded, ...recorded } = SECRETS;
    const all = { ...recorded, ...VALUES.hiddenTokens, ...VALUES.keystoneTokens };
    const missing = Object.entries(all).filter(([, v]) => !Object.values(out).some((text) => text.includes(v))).map(([k]) => k);
    expect(missing).toEqual([]);
  });
});

describe('redactCapture over the corpus (what exports are made from)', () => {
  it('mask and label hide them in every field: URLs, headers, bodies, cmdline, argv, environment, output', async () => {
    const capture = await readCapture(CORPUS);
    const whole = (mode: 'mask' | 'label' | 'raw') => ({ capture: JSON.stringify(redactCapture(capture, mode)) });
    expect(leaks(whole('mask'), { ...SECRETS, ...VALUES.hiddenTokens })).toEqual([]);
    expect(leaks(whole('label'), { ...SECRETS, ...VALUES.hiddenTokens, ...VALUES.keystoneTokens })).toEqual([]);
    expect(leaks(whole('raw'), SECRETS)).toHaveLength(Object.keys(SECRETS).length - 1); // all but the decoded Basic password
    // Sizes and hashes still describe the bodies as they crossed the wire.
    const masked = redactCapture(capture, 'mask').exchanges[0]!.request.body;
    expect([masked.sizeBytes, masked.sha256]).toEqual([capture.exchanges[0]!.request.body.sizeBytes, capture.exchanges[0]!.request.body.sha256]);
    expect(masked.data).not.toBe(capture.exchanges[0]!.request.body.data);
  });
});
