/**
 * A page's diagram images (`--svg` / `--png`): where they go, which one the Markdown links, and
 * writing them with a shared DiagramRenderer. Images sit in `images/` beside the page, named after
 * it (`images/<page>.svg`, `images/<page>-summary.svg`), so the link reads on GitHub as well.
 */
import { writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { DiagramRenderer, DiagramSource, ImageFormat } from './svg.js';
import { makeDirectory } from '../make-directory.js';

/** Links (relative to the page) for the page's two diagrams; null when no image is made. */
export interface ImageLinks {
  full: string | null;
  summary: string | null;
}

/** The diagrams a rendered page holds, as mermaid text. */
export interface PageDiagrams {
  full: string;
  summary: string;
}

const IMAGES_DIR = 'images';

/** The image links for a page at pagePath; SVG is linked when both formats are made. */
export function imageLinks(pagePath: string, formats: ImageFormat[]): ImageLinks {
  const linked = formats.includes('svg') ? 'svg' : formats.includes('png') ? 'png' : null;
  if (linked === null) return { full: null, summary: null };
  const base = basename(pagePath, '.md');
  return { full: `${IMAGES_DIR}/${base}.${linked}`, summary: `${IMAGES_DIR}/${base}-summary.${linked}` };
}

/** Renders both diagrams of a page in every format; returns the files written. */
export async function writePageImages(
  renderer: DiagramRenderer,
  page: { path: string; markdown: string; diagrams: PageDiagrams },
  formats: ImageFormat[],
): Promise<string[]> {
  const base = join(dirname(page.path), IMAGES_DIR, basename(page.path, '.md'));
  const written: string[] = [];
  makeDirectory(dirname(base));
  // A summary that folds nothing is not shown on the page, so it gets no image.
  const views = [{ view: 'full', suffix: '', definition: page.diagrams.full }];
  if (page.diagrams.summary !== page.diagrams.full) views.push({ view: 'summary', suffix: '-summary', definition: page.diagrams.summary });
  for (const format of formats) {
    for (const { view, suffix, definition } of views) {
      const source: DiagramSource = { definition, page: page.path, view, firstLine: diagramLine(page.markdown, definition) };
      const file = `${base}${suffix}.${format}`;
      writeFileSync(file, await renderer.render(source, format));
      written.push(file);
    }
  }
  return written;
}

/** The 1-based page line of a diagram's first line (inside a ```mermaid fence), or null if not found. */
export function diagramLine(markdown: string, definition: string): number | null {
  const lines = markdown.split('\n');
  const wanted = normalise(definition.split('\n'));
  for (let i = 0; i < lines.length; i += 1) {
    const open = /^(\s*)(`{3,})\s*mermaid\s*$/.exec(lines[i] ?? '');
    if (!open) continue;
    const close = lines.findIndex((l, j) => j > i && l.trim() === open[2]);
    if (close === -1) return null;
    if (normalise(lines.slice(i + 1, close)) === wanted) return i + 2;
    i = close;
  }
  return null;
}

function normalise(lines: string[]): string {
  return lines.map((l) => l.trim()).filter((l) => l !== '').join('\n');
}
