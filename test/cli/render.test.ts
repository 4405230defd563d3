/**
 * `flowscribe render` through the built bin (`npm run build` first, as `npm test` does): exit
 * codes, the single stderr line of an error, and the files written.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/flowscribe');
const fixture = (path: string): string => join(ROOT, 'test/fixtures', path);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(args: string[], cwd: string, timeout = 0): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, timeout }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const made: string[] = [];
const tmp = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'flowscribe-render-'));
  made.push(dir);
  return dir;
};
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const stderrLines = (r: Run): string[] => r.stderr.split('\n').filter(Boolean);

describe('flowscribe render', () => {
  it('writes docs/<capture name>.md and its log by default', async () => {
    const dir = tmp();
    cpSync(fixture('captures/service-to-service.jsonl'), join(dir, 'service-to-service.jsonl'));
    const r = await run(['render', 'service-to-service.jsonl'], dir);
    expect(r.code).toBe(0);
    const page = readFileSync(join(dir, 'docs/service-to-service.md'), 'utf8');
    expect(page).toContain('--8<-- "logs/service-to-service.log"');
    expect(readFileSync(join(dir, 'docs/logs/service-to-service.log'), 'utf8')).toContain('# exchange 1: ');
    expect(r.stdout).toBe('');
  });

  it('names the snippets path relative to --snippets-base', async () => {
    const dir = tmp();
    const out = join(dir, 'docs/openstack/image/create.md');
    const r = await run(['render', fixture('captures/password-masked.jsonl'), '-o', out, '--snippets-base', join(dir, 'docs')], dir);
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('--8<-- "openstack/image/logs/create.log"');
  });

  it('fails with file:line, exit 1 and one stderr line for a malformed middle line', async () => {
    const r = await run(['render', fixture('bad/malformed-middle.jsonl'), '-o', join(tmp(), 'x.md')], ROOT);
    expect(r.code).toBe(1);
    expect(stderrLines(r)).toHaveLength(1);
    expect(r.stderr).toMatch(/malformed-middle\.jsonl:3: not valid JSON/);
  });

  it('renders a truncated last line with a warning naming file:line', async () => {
    const out = join(tmp(), 'x.md');
    const r = await run(['render', fixture('bad/truncated-last-line.jsonl'), '-o', out], ROOT);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: .*truncated-last-line\.jsonl:3: incomplete last line ignored/);
    expect(r.stderr).toMatch(/warning: .*no trailer record/);
    expect(readFileSync(out, 'utf8')).toContain('### (1) POST ');
  });

  it('rejects an unknown format version clearly', async () => {
    const r = await run(['render', fixture('bad/unknown-version.jsonl'), '-o', join(tmp(), 'x.md')], ROOT);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unknown-version\.jsonl:1: unknown capture format version 7 \(this flowscribe reads version 1\)/);
  });

  it('renders an empty capture as a page that says so', async () => {
    const out = join(tmp(), 'x.md');
    const r = await run(['render', fixture('captures/empty-capture.jsonl'), '-o', out], ROOT);
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('No HTTP exchanges were recorded.');
  });

  it('exits 2 on a bad flag', async () => {
    const r = await run(['render', fixture('captures/empty-capture.jsonl'), '--lang', 'fr'], ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/lang/);
  });

  it('names the path when the page cannot be written', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'ro'));
    writeFileSync(join(dir, 'ro/file'), '');
    const out = join(dir, 'ro/file/page.md'); // a path under a regular file: ENOTDIR even as root
    const r = await run(['render', fixture('captures/empty-capture.jsonl'), '-o', out], ROOT);
    expect(r.code).toBe(1);
    expect(stderrLines(r)).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`^flowscribe: -o ${out}: cannot write \\((ENOTDIR|EEXIST)\\)\n$`));
    expect(existsSync(out)).toBe(false);
  });

  it('names the path when its folder cannot be made, also under /proc (where the recursive mkdir of Node 20 loops for ever)', async () => {
    const out = '/proc/flowscribe-no-such-folder/page.md';
    const r = await run(['render', fixture('captures/empty-capture.jsonl'), '-o', out], ROOT, 20_000);
    expect(r.code).toBe(1); // a hang is killed at 20 s, with no exit code
    expect(stderrLines(r)).toEqual([`flowscribe: -o ${out}: cannot write (ENOENT)`]);
  });

  it('uses --templates overrides file by file', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'tpl/partials'), { recursive: true });
    writeFileSync(join(dir, 'tpl/partials/output.md.hbs'), '## Result\n\n{{output.text}}\n');
    const out = join(dir, 'x.md');
    const r = await run(['render', fixture('captures/password-masked.jsonl'), '-o', out, '--templates', join(dir, 'tpl')], ROOT);
    expect(r.code).toBe(0);
    const page = readFileSync(out, 'utf8');
    expect(page).toContain('## Result\n\ntoken issued\n');
    expect(page).toContain('### (1) POST ');
  });

  it('applies --exclude, --secrets and --config (read from the current directory by default)', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'flowscribe.config.json'), JSON.stringify({ participants: { 'keystone-api': 'identity' } }));
    const reference = fixture('captures/openstack-image-create-reference.jsonl');
    const r = await run(['render', reference, '-o', 'x.md', '--exclude', 'participant=swift-proxy-server', '--secrets', 'raw'], dir);
    expect(r.code).toBe(0);
    const page = readFileSync(join(dir, 'x.md'), 'utf8');
    expect(page).toMatch(/participant \w+ as identity\n/);
    expect(page).not.toContain('swift-proxy-server');
    expect(page).toContain('"password": "asdf"');
  });

  it('names the config file and key of a bad config', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ participantz: {} }));
    const r = await run(['render', fixture('captures/empty-capture.jsonl'), '-o', 'x.md', '--config', 'bad.json'], dir);
    expect(r.code).not.toBe(0);
    expect(stderrLines(r)[0]).toMatch(/^flowscribe: bad\.json: .*participantz/);
  });

  it('starts without NODE_EXTRA_CA_CERTS through the launcher (Node would parse its certificates first), and renders as before', async () => {
    const dir = tmp();
    const capture = fixture('captures/openstack-image-create-reference.jsonl');
    // A file that cannot be read makes Node warn at its start whenever the variable reaches it.
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, 'missing.pem') };
    const launched = await new Promise<Run>((resolve) => {
      execFile(BIN, ['render', capture, '-o', 'launched.md'], { cwd: dir, env }, (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
      });
    });
    expect(launched.code).toBe(0);
    expect(launched.stderr).not.toMatch(/extra certs/i);
    // `node bin/flowscribe` skips the launcher's sh line, so Node sees the variable: the check above can fail.
    const direct = await new Promise<Run>((resolve) => {
      execFile(process.execPath, [BIN, 'render', capture, '-o', 'direct.md'], { cwd: dir, env }, (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
      });
    });
    expect(direct.stderr).toMatch(/Ignoring extra certs/);
    expect(readFileSync(join(dir, 'launched.md'), 'utf8')).toBe(readFileSync(join(dir, 'direct.md'), 'utf8').replaceAll('direct.log', 'launched.log'));
  });
});
