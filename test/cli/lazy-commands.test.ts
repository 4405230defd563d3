/** `--version` and `--help` answer without loading any command (no proxy, schema or templates). */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, startCli } from '../helpers/flowscribe-cli.js';

const HOOK = fileURLToPath(new URL('../helpers/trace-modules.mjs', import.meta.url));
const HEAVY = ['http-mitm-proxy', 'ajv', 'handlebars', 'mermaid'];
const work = mkdtempSync(join(tmpdir(), 'flowscribe-lazy-'));

/** The packages under node_modules a CLI run loaded, and its result. */
async function packagesLoaded(args: string[]) {
  const trace = join(work, `${args.join('_').replace(/[^\w.-]+/g, '_')}.txt`);
  const r = await runCli(args, { env: { ...process.env, NODE_OPTIONS: `--import ${HOOK}`, FLOWSCRIBE_TRACE_MODULES: trace } });
  const urls = readFileSync(trace, 'utf8').split('\n');
  const packages = new Set(urls.flatMap((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1] ?? []));
  return { r, packages: [...packages] };
}

describe('the lazy command table', () => {
  it.each([[['--version']], [['--help']]])('flowscribe %j loads none of the heavy packages', async (args) => {
    const { r, packages } = await packagesLoaded(args);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toBe('');
    expect(packages.filter((p) => HEAVY.includes(p))).toEqual([]);
  });

  it('a named command loads what it needs (the trace sees dependencies)', async () => {
    const { r, packages } = await packagesLoaded(['render', '--help']);
    expect(r.code).toBe(0);
    // Its argument parser; the schema and templates load only when a capture is read or a page
    // rendered (ajv and handlebars' compiler not even then, see capture-validators / templates tests).
    expect(packages).toContain('yargs');
    expect(packages).not.toContain('http-mitm-proxy');
  });

  it('--help still lists every command with its description', async () => {
    const r = await runCli(['--help']);
    for (const verb of ['record', 'proxy', 'ca', 'render', 'site', 'playbook', 'diff']) {
      expect(r.stdout).toMatch(new RegExp(`^  flowscribe ${verb}\\b.* {2,}\\S`, 'm'));
    }
    expect(r.stdout).toMatch(/^ {2}--version {2,}Show version number$/m);
  });

  it('record loads the proxy but neither yargs nor the render side (its start is a budget: issue 13)', async () => {
    const capture = join(work, 'true.jsonl');
    const { r, packages } = await packagesLoaded(['record', '--ca-dir', join(work, 'ca'), '-o', capture, '--', 'true']);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(capture, 'utf8')).toMatch(/"type":"trailer"/);
    expect(packages).toContain('http-mitm-proxy');
    expect(packages.filter((p) => ['yargs', 'ajv', 'handlebars', 'mermaid'].includes(p))).toEqual([]);
  });

  it('record with its CA in place loads neither node-forge (only needed to sign a leaf for a new host) nor uuid, async or ws (issue 13)', async () => {
    const caDir = join(work, 'ca-forge');
    const run = (name: string) => packagesLoaded(['record', '--ca-dir', caDir, '-o', join(work, `${name}.jsonl`), '--', 'true']);
    const creating = await run('creates-ca');
    expect(creating.r.code, creating.r.stderr).toBe(0);
    expect(creating.packages).toContain('node-forge'); // the trace sees what the library requires
    const again = await run('has-ca');
    expect(again.r.code, again.r.stderr).toBe(0);
    expect(again.packages).toContain('http-mitm-proxy');
    expect(again.packages.filter((p) => ['node-forge', 'uuid', 'async', 'ws'].includes(p))).toEqual([]);
  });

  it('render CAPTURE -o PAGE loads neither yargs nor the help layout it builds before every command (issue 13)', async () => {
    const page = join(work, 'shipped.md');
    const capture = fileURLToPath(new URL('../fixtures/captures/openstack-image-create-reference.jsonl', import.meta.url));
    const { r, packages } = await packagesLoaded(['render', capture, '-o', page]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(page, 'utf8')).toMatch(/^# openstack image create/);
    // The trace sees packages (ajv's one runtime helper of the precompiled validators); handlebars'
    // runtime is inside the CLI's bundle (scripts/bundle.mjs), its compiler not needed.
    expect(packages).toContain('ajv');
    expect(packages.filter((p) => ['yargs', 'cliui', 'string-width', 'handlebars'].includes(p))).toEqual([]);
  });

  it('proxy in its plain form loads neither yargs nor its help layout (they kept a recorder that runs for hours 10 MB larger: issue 13)', async () => {
    const trace = join(work, 'proxy.txt');
    const env = { ...process.env, NODE_OPTIONS: `--import ${HOOK}`, FLOWSCRIBE_TRACE_MODULES: trace };
    const proxy = startCli(['proxy', '--ca-dir', join(work, 'ca'), '-o', join(work, 'proxy.jsonl')], { env });
    await proxy.waitFor('stderr', 'recording to');
    proxy.child.kill('SIGTERM');
    expect((await proxy.result).code).toBe(0);
    const packages = new Set(readFileSync(trace, 'utf8').split('\n').flatMap((u) => /\/node_modules\/([^/]+)\//.exec(u)?.[1] ?? []));
    expect(packages).toContain('http-mitm-proxy');
    expect([...packages].filter((p) => ['yargs', 'cliui', 'string-width'].includes(p))).toEqual([]);
  });

  it('root --help does not even load the argument parser (yargs costs more than the 0.15 s budget)', async () => {
    const { packages } = await packagesLoaded(['--help']);
    expect(packages).not.toContain('yargs');
    expect((await packagesLoaded(['render', '--help'])).packages).toContain('yargs');
  });
});
