/**
 * `flowscribe site` as a user runs it: a real process in a temp project holding the shipped
 * example capture. Checks the files it writes, the nav it keeps, and its one-line errors.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mermaidBrowserBuild } from '../../src/render/site-assets.js';
import { runCli } from '../helpers/flowscribe-cli.js';
import { EXAMPLE_CAPTURE, REPO_ROOT, shippedCaptureNames } from '../helpers/shipped-capture.js';

const SHIPPED = shippedCaptureNames();
const PAGE = EXAMPLE_CAPTURE.replace(/\.jsonl$/, '');

let work: string;

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'flowscribe-site-cli-'));
  mkdirSync(join(work, 'captures'));
  for (const f of SHIPPED) cpSync(join(REPO_ROOT, 'captures', f), join(work, 'captures', f));
});

afterEach(() => rmSync(work, { recursive: true, force: true }));

const read = (path: string): string => readFileSync(join(work, path), 'utf8');

describe('flowscribe site', () => {
  it('renders every capture, the index, the assets, and leaves the committed mkdocs.yml as it is (nav current, guide kept)', async () => {
    cpSync(join(REPO_ROOT, 'mkdocs.yml'), join(work, 'mkdocs.yml'));
    const run = await runCli(['site'], { cwd: work });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(read('mkdocs.yml')).toBe(readFileSync(join(REPO_ROOT, 'mkdocs.yml'), 'utf8'));
    expect(read(`docs/${PAGE}.md`)).toMatch(/^# /m);
    expect(read(`docs/${PAGE}.md`)).toContain(`--8<-- "logs/${PAGE}.log"`);
    expect(existsSync(join(work, 'docs', 'logs', `${PAGE}.log`))).toBe(true);
    expect(read('docs/index.md')).toContain(`](${PAGE}.md) |`);
    expect(readFileSync(join(work, 'docs/assets/javascripts/mermaid.min.js')).equals(readFileSync(mermaidBrowserBuild()))).toBe(true);
    expect(read('docs/assets/javascripts/flowscribe-mermaid.js')).toContain('pre.flowscribe-mermaid');
  });

  it('gives the same files when run again', async () => {
    await runCli(['site'], { cwd: work });
    const first = [read('mkdocs.yml'), read('docs/index.md'), read(`docs/${PAGE}.md`)];
    await runCli(['site'], { cwd: work });
    expect([read('mkdocs.yml'), read('docs/index.md'), read(`docs/${PAGE}.md`)]).toEqual(first);
  });

  it('rewrites only its own nav entries of an existing mkdocs.yml', async () => {
    const mine = 'site_name: my team\ndocs_dir: docs\nnav:\n  - Old: old.md\n  - Guide:\n      - guide/a.md\nextra:\n  team: platform\n';
    writeFileSync(join(work, 'mkdocs.yml'), mine);
    expect((await runCli(['site', `captures/${EXAMPLE_CAPTURE}`], { cwd: work })).code).toBe(0);
    const title = /^# (.+)$/m.exec(read(`docs/${PAGE}.md`))?.[1];
    expect(read('mkdocs.yml')).toBe(
      `site_name: my team\ndocs_dir: docs\nnav:\n  - Home: index.md\n  - ${title}: ${PAGE}.md\n  - Guide:\n      - guide/a.md\nextra:\n  team: platform\n`,
    );
  });

  it('writes to --docs and a new config pointing there', async () => {
    expect((await runCli(['site', '--docs', 'site-docs', '--mkdocs-config', 'site.yml'], { cwd: work })).code).toBe(0);
    expect(read('site.yml')).toMatch(/^docs_dir: site-docs$/m);
    expect(read('site.yml')).toMatch(/^ {6}base_path: site-docs$/m);
    expect(existsSync(join(work, 'site-docs', `${PAGE}.md`))).toBe(true);
  });
});

describe('flowscribe site errors (one line, exit code)', () => {
  async function fails(args: string[], env?: NodeJS.ProcessEnv): Promise<{ code: number | null; line: string }> {
    const run = await runCli(args, { cwd: work, env: env ?? process.env });
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(2); // the message, and maybe a hint
    return { code: run.code, line: lines[0] ?? '' };
  }

  it('no captures', async () => {
    rmSync(join(work, 'captures'), { recursive: true });
    expect(await fails(['site'])).toEqual({ code: 2, line: 'flowscribe: site: no captures named and none in captures/' });
  });

  it('a config whose docs_dir is not --docs', async () => {
    writeFileSync(join(work, 'mkdocs.yml'), 'site_name: x\ndocs_dir: elsewhere\n');
    expect(await fails(['site'])).toEqual({ code: 2, line: 'flowscribe: mkdocs.yml: docs_dir is elsewhere but --docs is docs' });
  });

  it('an index.md the user wrote is kept', async () => {
    mkdirSync(join(work, 'docs'));
    writeFileSync(join(work, 'docs', 'index.md'), '# Our team docs\n');
    expect(await fails(['site'])).toEqual({ code: 1, line: 'flowscribe: docs/index.md: not written by flowscribe site; it would be replaced' });
    expect(read('docs/index.md')).toBe('# Our team docs\n');
  });

  it('two captures that would write the same page', async () => {
    mkdirSync(join(work, 'other'));
    cpSync(join(work, 'captures', EXAMPLE_CAPTURE), join(work, 'other', EXAMPLE_CAPTURE));
    const args = ['site', `captures/${EXAMPLE_CAPTURE}`, `other/${EXAMPLE_CAPTURE}`];
    expect(await fails(args)).toEqual({ code: 2, line: `flowscribe: site: captures/${EXAMPLE_CAPTURE} and other/${EXAMPLE_CAPTURE} would both become ${PAGE}.md` });
  });

  it('a malformed capture line names file:line', async () => {
    const lines = read(`captures/${EXAMPLE_CAPTURE}`).split('\n');
    lines[2] = '{"type":"exchange",';
    writeFileSync(join(work, 'captures', 'bad.jsonl'), lines.join('\n'));
    const { code, line } = await fails(['site', 'captures/bad.jsonl']);
    expect(code).toBe(1);
    expect(line).toMatch(/^flowscribe: captures\/bad\.jsonl:3: not valid JSON/);
  });

  it('--build without mkdocs names the Debian packages', async () => {
    const { code, line } = await fails(['site', '--build'], { ...process.env, PATH: join(work, 'empty-bin') });
    expect(code).toBe(1);
    expect(line).toBe('flowscribe: site --build: mkdocs not found; install the Debian packages mkdocs and mkdocs-material');
  });

  it('--build names mkdocs\' first strict-mode complaint', async () => {
    await runCli(['site'], { cwd: work });
    // A hand-written page with a broken link: strict mode turns mkdocs' warning into a failure.
    writeFileSync(join(work, 'docs', 'extra.md'), '# extra\n\n[missing](no-such-page.md)\n');
    const { code, line } = await fails(['site', '--build']);
    expect(code).toBe(1);
    expect(line).toMatch(/^flowscribe: site --build: mkdocs build --strict failed for mkdocs\.yml: WARNING .*no-such-page\.md/);
  });

  it('--svg without Chromium names the Debian package', async () => {
    const { code, line } = await fails(['site', '--svg', '--chromium', join(work, 'no-chromium')]);
    expect(code).toBe(1);
    expect(line).toBe(`flowscribe: --svg: Chromium not found at ${join(work, 'no-chromium')}`);
  });
});
