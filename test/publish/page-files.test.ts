import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderCaptureFile } from '../../src/publish/output.js';
import { loadTemplates } from '../../src/publish/template-files.js';

// The page and its log are written as they are made (never held whole), each to a name of its
// own beside it and renamed into place when complete: a render that fails halfway must leave
// what was there before.
const CAPTURE = new URL('../fixtures/captures/openstack-image-create-reference.jsonl', import.meta.url).pathname;
const dirs: string[] = [];
const tmp = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'flowscribe-page-files-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Templates whose section partial needs a field no section has: the page fails at its first section. */
function failingInSections(dir: string): ReturnType<typeof loadTemplates> {
  mkdirSync(join(dir, 'partials'), { recursive: true });
  writeFileSync(join(dir, 'partials', 'arrow.md.hbs'), '### ({{n}}) {{label}} {{noSuchField}}\n');
  return loadTemplates(dir);
}

describe('writing a page and its log', () => {
  it('leaves the previous page and log as they were, and nothing else, when the page fails halfway', async () => {
    const dir = tmp();
    const page = join(dir, 'docs', 'x.md');
    const log = join(dir, 'docs', 'logs', 'x.log');
    await renderCaptureFile(CAPTURE, page, {});
    const before = { page: readFileSync(page, 'utf8'), log: readFileSync(log, 'utf8') };
    await expect(renderCaptureFile(CAPTURE, page, { templates: failingInSections(join(dir, 'templates')) })).rejects.toThrow(/noSuchField/);
    expect(readFileSync(page, 'utf8')).toBe(before.page);
    expect(readFileSync(log, 'utf8')).toBe(before.log);
    expect(readdirSync(join(dir, 'docs')).sort()).toEqual(['logs', 'x.md']);
    expect(readdirSync(join(dir, 'docs', 'logs'))).toEqual(['x.log']);
  });

  it('writes no file at all when the first render of a page fails', async () => {
    const dir = tmp();
    const page = join(dir, 'docs', 'x.md');
    await expect(renderCaptureFile(CAPTURE, page, { templates: failingInSections(join(dir, 'templates')) })).rejects.toThrow(/noSuchField/);
    expect(readdirSync(join(dir, 'docs'))).toEqual(['logs']);
    expect(readdirSync(join(dir, 'docs', 'logs'))).toEqual([]);
  });

  it('writes through a link to the file it names, keeping that file’s permissions', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'real'));
    const real = join(dir, 'real', 'page.md');
    writeFileSync(real, 'old');
    chmodSync(real, 0o666); // more than the umask lets a new file have
    const page = join(dir, 'x.md');
    symlinkSync(real, page);
    const rendered = await renderCaptureFile(CAPTURE, page, {});
    expect(lstatSync(page).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toBe(rendered.markdown);
    expect(rendered.markdown).toMatch(/^# openstack image create/);
    expect(statSync(real).mode & 0o777).toBe(0o666);
  });

  it('names the path when the page is a directory, and writes no log', async () => {
    const dir = tmp();
    const page = join(dir, 'x.md');
    mkdirSync(page);
    await expect(renderCaptureFile(CAPTURE, page, {})).rejects.toThrow(`-o ${page}: cannot write (EISDIR)`);
    expect(readdirSync(dir)).toEqual(['x.md']);
  });
});
