/**
 * `--svg` / `--png` / `--chromium`, shared by `render` and `site`: which image formats to make
 * and how to start the one browser that makes them (src/render/svg.ts).
 */
import type { Argv } from 'yargs';
import { DEBIAN_CHROMIUM, openDiagramRenderer, type DiagramRenderer, type ImageFormat } from '../render/svg.js';

export interface ImageArgs {
  svg: boolean;
  png: boolean;
  chromium: string;
}

export function imageOptions<T>(y: Argv<T>): Argv<T & ImageArgs> {
  return y
    .option('svg', { type: 'boolean', default: false, describe: 'also render each diagram to SVG and link it (mermaid-cli + Chromium)' })
    .option('png', { type: 'boolean', default: false, describe: 'also render each diagram to PNG and link it (mermaid-cli + Chromium)' })
    .option('chromium', { type: 'string', default: DEBIAN_CHROMIUM, describe: 'Chromium executable for --svg/--png' });
}

/** Image formats asked for, SVG first (the one linked when both are made). */
export function imageFormats(args: ImageArgs): ImageFormat[] {
  return [...(args.svg ? (['svg'] as const) : []), ...(args.png ? (['png'] as const) : [])];
}

/** Starts the browser for the asked formats; errors name the flags that needed it. */
export function rendererOpener(args: ImageArgs): () => Promise<DiagramRenderer> {
  const flags = imageFormats(args).map((f) => `--${f}`).join(' ');
  return () => openDiagramRenderer({ chromiumPath: args.chromium }, flags);
}
