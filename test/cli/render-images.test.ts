/**
 * `flowscribe render --svg --png` as a user runs it: the page links the SVG of each diagram (so it
 * reads on GitHub), and the images are mermaid-cli renderings of the page's own diagrams.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/flowscribe-cli.js';
import { mermaidBlocks, parseDiagram } from '../helpers/mermaid-arrows.js';
import { shippedCapture } from '../helpers/shipped-capture.js';

let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'flowscribe-site-render-images-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('flowscribe render --svg --png', () => {
  it('links an SVG per diagram in place of the mermaid block, and writes SVG and PNG', async () => {
    const plain = await runCli(['render', shippedCapture(), '-o', join(work, 'plain.md')], { cwd: work });
    expect(plain.code).toBe(0);
    const diagrams = mermaidBlocks(readFileSync(join(work, 'plain.md'), 'utf8')).map(parseDiagram);
    expect(diagrams.length).toBeGreaterThan(0);

    const run = await runCli(['render', shippedCapture(), '-o', join(work, 'page.md'), '--svg', '--png'], { cwd: work });
    expect(run.stderr).not.toMatch(/error/);
    expect(run.code).toBe(0);
    const page = readFileSync(join(work, 'page.md'), 'utf8');
    const links = [...page.matchAll(/!\[[^\]]*\]\((images\/[^)]+)\)/g)].map((m) => m[1] ?? '');
    expect(links).toHaveLength(diagrams.length);
    expect(mermaidBlocks(page)).toEqual([]);
    for (const [i, link] of links.entries()) {
      expect(link).toMatch(/\.svg$/);
      const svg = readFileSync(join(work, link), 'utf8');
      expect(svg.match(/class="sequenceNumber"/g)?.length).toBe(diagrams[i]?.arrows.length);
      for (const name of diagrams[i]?.participants ?? []) expect(svg).toContain(`>${name}<`);
      expect(existsSync(join(work, link.replace(/\.svg$/, '.png')))).toBe(true);
    }
  });
});

/** Width and height of a PNG, from its IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('flowscribe render --png --scale', () => {
  it('--scale 2 gives twice the pixels each way of the default', async () => {
    const sizes = [];
    for (const [name, extra] of [['one', []], ['two', ['--scale', '2']]] as const) {
      const run = await runCli(['render', shippedCapture(), '-o', join(work, `${name}.md`), '--png', ...extra], { cwd: work });
      expect(run.code, run.stderr).toBe(0);
      sizes.push(pngSize(join(work, 'images', `${name}.png`)));
    }
    const [one, two] = sizes;
    expect(two?.width).toBe((one?.width ?? 0) * 2);
    expect(two?.height).toBe((one?.height ?? 0) * 2);
  });

  it('a bad --scale is a one-line usage error', async () => {
    const run = await runCli(['render', shippedCapture(), '-o', join(work, 'bad.md'), '--png', '--scale', '0'], { cwd: work });
    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toEqual(['flowscribe: --scale: 0 is not a number from above 0 to 8']);
  });
});
