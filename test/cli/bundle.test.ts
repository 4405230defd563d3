/**
 * bin/flowscribe runs dist/bundle/cli.cjs (scripts/bundle.mjs) compiled with V8's code cache made by
 * the build: the bundle must be what dist/ bundles to now, and a cache must be used only for the
 * very script it was made from (V8 itself would run a same-length stale cache's code).
 */
import { describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/flowscribe-cli.js';
// @ts-expect-error: a plain ES module of the build, without types
import { bundleOptions, dynamicImports } from '../../scripts/bundle.mjs';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const BUNDLE = join(REPO, 'dist/bundle/cli.cjs');
const EXAMPLE = join(REPO, 'test/fixtures/captures/openstack-image-create-reference.jsonl');
const REPORT = { ...process.env, FLOWSCRIBE_CODE_CACHE_REPORT: '1' };
const work = mkdtempSync(join(tmpdir(), 'flowscribe-bundle-'));

/** A copy of the package whose bundle (and cache) the test may change: bin/ and dist/bundle/ copied, what they use linked. */
function packageCopy(name: string, bundle: Buffer, cache: Buffer): string {
  const root = join(work, name);
  mkdirSync(join(root, 'bin'), { recursive: true });
  mkdirSync(join(root, 'dist/bundle'), { recursive: true });
  for (const file of ['bin/flowscribe', 'bin/package.json']) copyFileSync(join(REPO, file), join(root, file));
  for (const shared of ['node_modules', 'templates', 'schema', 'assets', 'package.json', 'dist/packages.js']) symlinkSync(join(REPO, shared), join(root, shared));
  writeFileSync(join(root, 'dist/bundle/cli.cjs'), bundle);
  writeFileSync(join(root, 'dist/bundle/cli.cjs.cache'), cache);
  return join(root, 'bin/flowscribe');
}

/** Renders the example with the launcher `bin`; its stderr says which cache state it started with. */
async function renderWith(bin: string, name: string) {
  const out = join(work, `${name}.md`);
  const r = await runCli(['render', EXAMPLE, '--out', out], { env: REPORT, bin });
  return { ...r, page: r.code === 0 ? readFileSync(out, 'utf8') : '' };
}

describe('the CLI bundle', () => {
  it('is what dist/ bundles to now (npm run build made it after tsc)', async () => {
    const options = bundleOptions();
    const result = await build({ ...options, write: false, logLevel: 'silent' });
    const fresh = result.outputFiles?.[0];
    // The script bin compiles cannot run an import(): packages are imported through dist/packages.js.
    expect(dynamicImports(result.metafile)).toEqual([]);
    expect(fresh?.path).toBe(BUNDLE);
    expect(Buffer.from(fresh?.contents ?? []).equals(readFileSync(BUNDLE)), 'dist/bundle/cli.cjs is stale: run npm run build').toBe(true);
  });

  it('is ASCII, so that bin reads it as one-byte text (any other character makes V8 read all of it as two-byte)', () => {
    const lines = readFileSync(BUNDLE, 'utf8').split('\n');
    const other = lines.flatMap((line, i) => (/[^\x00-\x7f]/.test(line) ? [`line ${i + 1}: ${line.trim()}`] : []));
    // esbuild escapes them outside comments; a comment it keeps (in a class, an object) says where.
    expect(other, 'write these comments in ASCII').toEqual([]);
  });

  it('is what bin/flowscribe runs, with the code cache the build made for it', async () => {
    const r = await runCli(['--version'], { env: REPORT });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('flowscribe: code cache used\n');
    const recorded = await runCli(['record', '-o', join(work, 'true.jsonl'), '--', 'true'], { env: REPORT });
    expect(recorded.code, recorded.stderr).toBe(0);
    expect(recorded.stderr).toMatch(/^flowscribe: code cache used\n/);
  });

  it('runs its own code, not a stale cache of a same-length script, nor a cache V8 refuses', async () => {
    const bundle = readFileSync(BUNDLE);
    const cache = readFileSync(`${BUNDLE}.cache`);
    const reference = await renderWith(packageCopy('same', bundle, cache), 'same');
    expect(reference.stderr).toMatch(/^flowscribe: code cache used\nflowscribe: wrote /);

    // The same length, one message changed: a cache of the old script must not run.
    const changed = Buffer.from(bundle.toString('latin1').replaceAll('flowscribe: wrote ', 'flowscribe: WROTE '), 'latin1');
    expect(changed.length).toBe(bundle.length);
    expect(changed.equals(bundle)).toBe(false);
    const stale = await renderWith(packageCopy('stale', changed, cache), 'stale');
    expect(stale.code, stale.stderr).toBe(0);
    expect(stale.stderr).toMatch(/^flowscribe: code cache stale\nflowscribe: WROTE /);
    expect(stale.page).toBe(reference.page.replaceAll('same.log', 'stale.log'));

    // The script's own copy, then bytes V8 does not take for a cache in the render's part (the
    // first: its name's length and name, its length, its bytes): compiled without one.
    const garbage = Buffer.from(cache);
    const renderPart = 4 + bundle.length;
    expect(garbage.toString('latin1', renderPart + 1, renderPart + 7)).toBe('render');
    garbage.fill(7, renderPart + 11, renderPart + 11 + 4096);
    const refused = await renderWith(packageCopy('refused', bundle, garbage), 'refused');
    expect(refused.code, refused.stderr).toBe(0);
    expect(refused.stderr).toMatch(/^flowscribe: code cache rejected\nflowscribe: wrote /);
    expect(refused.page).toBe(reference.page.replaceAll('same.log', 'refused.log'));

    const cut = await renderWith(packageCopy('cut', bundle, cache.subarray(0, 2)), 'cut');
    expect(cut.code, cut.stderr).toBe(0);
    expect(cut.stderr).toMatch(/^flowscribe: code cache absent\nflowscribe: wrote /);
  });

  it('is missing: one line naming it and what builds it, exit 1', async () => {
    const bin = packageCopy('unbuilt', Buffer.from(''), Buffer.from(''));
    rmSync(join(work, 'unbuilt/dist/bundle'), { recursive: true });
    const r = await runCli(['--version'], { bin });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`flowscribe: ${join(work, 'unbuilt/dist/bundle/cli.cjs')}: cannot read (ENOENT): not built? run npm run build\n`);
  });
});
