/**
 * The site's scripts, copied into the docs dir so the built site needs no CDN: mermaid's one-file
 * browser build from the `mermaid` npm package, svg-pan-zoom's, and flowscribe's init script
 * (assets/mermaid-init.js).
 */
import { copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SITE_SCRIPTS } from '../render/mkdocs-config.js';
import { makeDirectory } from '../make-directory.js';

/** Absolute path of the mermaid browser build shipped in the `mermaid` npm package. */
export function mermaidBrowserBuild(): string {
  return createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');
}

/** Absolute path of the svg-pan-zoom browser build (zoom and pan of the drawn diagrams). */
export function panZoomBrowserBuild(): string {
  return createRequire(import.meta.url).resolve('svg-pan-zoom/dist/svg-pan-zoom.min.js');
}

/** Absolute path of flowscribe's mermaid init script (in the package's `assets/`). */
export function mermaidInitScript(): string {
  return fileURLToPath(new URL('../../assets/mermaid-init.js', import.meta.url));
}

/** Copies the scripts to their SITE_SCRIPTS paths under docsDir; returns the paths written. */
export function copySiteAssets(docsDir: string): string[] {
  const copies: Array<[from: string, to: string]> = [
    [mermaidBrowserBuild(), join(docsDir, SITE_SCRIPTS.mermaid)],
    [mermaidInitScript(), join(docsDir, SITE_SCRIPTS.init)],
    [panZoomBrowserBuild(), join(docsDir, SITE_SCRIPTS.panZoom)],
  ];
  for (const [from, to] of copies) {
    makeDirectory(dirname(to));
    copyFileSync(from, to);
  }
  return copies.map(([, to]) => to);
}
