/**
 * The repository's own docs site: the generated pages, the user guide (docs/guide/) and the capture
 * format, with the committed mkdocs.yml, build under `mkdocs build --strict` (a broken link or a nav
 * entry without its page fails), and `flowscribe site` keeps the guide's nav and pages as they are.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/flowscribe-cli.js';
import { REPO_ROOT } from '../helpers/shipped-capture.js';

const work = mkdtempSync(join(tmpdir(), 'flowscribe-guide-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the docs site with the user guide', () => {
  it('builds with mkdocs --strict and keeps every guide page and its nav entry', async () => {
    for (const dir of ['docs', 'captures']) cpSync(join(REPO_ROOT, dir), join(work, dir), { recursive: true });
    cpSync(join(REPO_ROOT, 'mkdocs.yml'), join(work, 'mkdocs.yml'));
    const guide = readdirSync(join(REPO_ROOT, 'docs', 'guide')).filter((f) => f.endsWith('.md'));
    const run = await runCli(['site', '--build'], { cwd: work });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const config = readFileSync(join(work, 'mkdocs.yml'), 'utf8');
    for (const page of guide) {
      expect(config).toContain(`guide/${page}`);
      expect(readFileSync(join(work, 'docs', 'guide', page), 'utf8')).toBe(readFileSync(join(REPO_ROOT, 'docs', 'guide', page), 'utf8'));
      expect(readdirSync(join(work, 'site', 'guide'))).toContain(page === 'index.md' ? 'index.html' : page.replace(/\.md$/, ''));
    }
  }, 300_000);
});
