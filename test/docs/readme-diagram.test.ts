/**
 * The README shows the image-create diagram flowscribe rendered from the lab's real recording
 * (`captures/openstack-image-create.jsonl`): it must stay what a fresh render of that capture draws.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../helpers/lab-scripts.js';
import { mermaidBlocks, parseDiagram } from '../helpers/mermaid-arrows.js';

function largestDiagram(markdown: string): string {
  const blocks = mermaidBlocks(markdown);
  return blocks.reduce((best, b) => (parseDiagram(b).arrows.length > parseDiagram(best).arrows.length ? b : best), '');
}

describe('README', () => {
  it("shows the diagram rendered from the shipped openstack image create capture", () => {
    const out = join(mkdtempSync(join(tmpdir(), 'flowscribe-readme-')), 'page.md');
    execFileSync(process.execPath, ['bin/flowscribe', 'render', 'captures/openstack-image-create.jsonl', '-o', out], {
      cwd: repoRoot,
      stdio: 'pipe',
    });
    const rendered = largestDiagram(readFileSync(out, 'utf8'));
    expect(parseDiagram(rendered).arrows).toHaveLength(50);
    expect(largestDiagram(readFileSync(join(repoRoot, 'README.md'), 'utf8'))).toBe(rendered);
  });
});
