/**
 * The rendered pages build with Debian's mkdocs + mkdocs-material under `--strict`, with the
 * extensions the page relies on (the site helper owns the project's real mkdocs.yml).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/model/config.js';
import { renderCaptureFile } from '../../src/publish/output.js';
import { loadTemplates } from '../../src/publish/template-files.js';

const CAPTURES = new URL('../fixtures/captures/', import.meta.url).pathname;

const MKDOCS_YML = `site_name: flowscribe test
theme:
  name: material
  font: false
markdown_extensions:
  - admonition
  - pymdownx.details
  - pymdownx.tabbed:
      alternate_style: true
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
  - pymdownx.snippets:
      base_path: docs
      check_paths: true
`;

function mkdocsBuild(dir: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile('/usr/bin/mkdocs', ['build', '--strict'], { cwd: dir }, (err, _stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stderr });
    });
  });
}

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

async function renderSite(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'flowscribe-mkdocs-'));
  made.push(dir);
  writeFileSync(join(dir, 'mkdocs.yml'), MKDOCS_YML);
  const templates = loadTemplates();
  for (const file of readdirSync(CAPTURES).filter((f) => f.endsWith('.jsonl'))) {
    const name = file.slice(0, -'.jsonl'.length);
    const reference = name === 'openstack-image-create-reference';
    await renderCaptureFile(join(CAPTURES, file), join(dir, 'docs/captures', `${name}.md`), {
      config: defaultConfig(), secrets: 'mask', include: [], exclude: [], templates,
      lang: reference ? 'ko' : 'en', launchJson: reference, snippetsBase: join(dir, 'docs'),
    });
  }
  writeFileSync(join(dir, 'docs/index.md'), '# captures\n');
  return dir;
}

describe('mkdocs build --strict', () => {
  it('builds every rendered page, with the raw log included', async () => {
    const dir = await renderSite();
    const result = await mkdocsBuild(dir);
    expect(result.stderr).not.toMatch(/WARNING|ERROR/);
    expect(result.code).toBe(0);
    const html = readFileSync(join(dir, 'site/captures/openstack-image-create-reference/index.html'), 'utf8');
    expect(html).toContain('exchange 25: glance-api -&gt; swift-proxy-server (48) (49)');
    expect(html).toContain('Sequence Diagram (with limits)');
    expect(html).toContain('class="mermaid"');
    // binary-body has a captured line `--8<-- "mkdocs.yml"`: escaped, it must not pull the file in.
    const binary = readFileSync(join(dir, 'site/captures/binary-body/index.html'), 'utf8');
    expect(binary).toContain('--8&lt;-- &quot;mkdocs.yml&quot;');
    expect(binary).not.toContain('site_name: flowscribe test');
  });

  it('fails when a page\'s log is missing (so the check above can fail)', async () => {
    const dir = await renderSite();
    rmSync(join(dir, 'docs/captures/logs/service-to-service.log'));
    const result = await mkdocsBuild(dir);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/service-to-service\.log/);
  });
});
