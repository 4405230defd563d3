/**
 * The package as a user installs it: `npm pack`, then `npm install -g <tarball>` into a temporary
 * prefix, then `flowscribe render --svg` with Debian's Chromium. Puppeteer must not try to download
 * a browser (there is no internet here), and mermaid-cli + puppeteer must really be installed.
 * A missing optional package must name the exact command that brings it back, and that command works.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const REPO = new URL('../../', import.meta.url).pathname;
const CAPTURE = join(REPO, 'captures/openstack-image-create.jsonl');
const MINUTES = 60_000;
const work = mkdtempSync(join(tmpdir(), 'flowscribe-pack-'));
const prefix = join(work, 'prefix');
const bin = join(prefix, 'bin/flowscribe');
const installed = join(prefix, 'lib/node_modules/flowscribe');

/** Runs the installed flowscribe; resolves to its exit code and output (never rejects). */
async function flowscribe(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(bin, args, { cwd: work, timeout: 5 * MINUTES });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

async function renderSvg(name: string): Promise<{ code: number; stderr: string; svg: string }> {
  const page = join(work, `${name}.md`);
  const result = await flowscribe(['render', CAPTURE, '-o', page, '--svg']);
  const svgPath = join(work, 'images', `${name}.svg`);
  return { code: result.code, stderr: result.stderr, svg: existsSync(svgPath) ? readFileSync(svgPath, 'utf8') : '' };
}

describe('npm pack → npm install -g <tarball> → flowscribe render --svg', () => {
  beforeAll(async () => {
    // --ignore-scripts: dist/ is already built by `npm test`; the tarball ships it.
    const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--pack-destination', work], { cwd: REPO });
    const tarball = join(work, stdout.trim().split('\n').pop() ?? '');
    // A clean environment for npm: no PUPPETEER_* variables may rescue a missing skip-download setting.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PUPPETEER_')));
    await run('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball], {
      cwd: work,
      env,
      timeout: 12 * MINUTES,
    });
  }, 13 * MINUTES);
  afterAll(() => rm(work, { recursive: true, force: true }), 5 * MINUTES);

  it('runs --version from the global bin', async () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    expect((await flowscribe(['--version'])).stdout.trim()).toBe(pkg.version);
  });

  it('installed the optional image packages and renders an SVG with Debian chromium', async () => {
    const first = await renderSvg('page');
    expect(first.stderr).not.toMatch(/not installed/);
    expect(first.code).toBe(0);
    expect(first.svg).toMatch(/^<svg[\s\S]*keystone[\s\S]*<\/svg>$/);
  }, 5 * MINUTES);

  it('names the exact command for a missing optional package, and that command brings it back', async () => {
    const cliDir = join(installed, 'node_modules/@mermaid-js/mermaid-cli');
    renameSync(cliDir, `${cliDir}.away`);
    const broken = await renderSvg('broken');
    expect(broken.code).toBe(1);
    const hint = /hint: run: (npm install .*)$/m.exec(broken.stderr)?.[1];
    expect(hint, broken.stderr).toMatch(/^npm install --no-save --prefix \S+ .*@mermaid-js\/mermaid-cli@\S+ puppeteer@\S+$/);
    rmSync(`${cliDir}.away`, { recursive: true, force: true });
    const [cmd, ...args] = (hint ?? '').split(' ');
    await run(cmd ?? 'npm', [...args, '--prefer-offline', '--no-audit', '--no-fund'], { cwd: work, timeout: 10 * MINUTES });
    const again = await renderSvg('again');
    expect(again.code, again.stderr).toBe(0);
    expect(again.svg).toMatch(/^<svg/);
  }, 12 * MINUTES);
});
