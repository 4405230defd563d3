/**
 * `--svg` / `--png` / `--chromium`, shared by `render` and `site`: which image formats to make
 * and how to start the one browser that makes them (src/render/svg.ts).
 */
import type { Argv } from 'yargs';
import { UserError } from '../errors.js';
import { DEBIAN_CHROMIUM } from '../defaults.js';
import { openDiagramRenderer, type DiagramRenderer, type ImageFormat } from '../publish/svg.js';

export interface ImageArgs {
  svg: boolean;
  png: boolean;
  chromium: string;
  scale: number;
}

/** The image flags when not given (yargs declares its defaults from here; so does `render`'s plain form). */
export const IMAGE_FLAG_DEFAULTS: Readonly<ImageArgs> = { svg: false, png: false, chromium: DEBIAN_CHROMIUM, scale: 1 };

export function imageOptions<T>(y: Argv<T>): Argv<T & ImageArgs> {
  const d = IMAGE_FLAG_DEFAULTS;
  return y
    .option('svg', { type: 'boolean', default: d.svg, describe: 'also render each diagram to SVG and link it (mermaid-cli + Chromium)' })
    .option('png', { type: 'boolean', default: d.png, describe: 'also render each diagram to PNG and link it (mermaid-cli + Chromium)' })
    .option('chromium', { type: 'string', default: d.chromium, describe: 'Chromium executable for --svg/--png' })
    .option('scale', {
      type: 'number',
      default: d.scale,
      describe: 'pixel density of --png images (2 = twice as many pixels each way)',
    })
    .check((args) => checkScale(args.scale));
}

/** --scale is a device scale factor: Chromium takes (0, 10]; more than 8 makes images nobody opens. */
function checkScale(value: number): true {
  if (Number.isFinite(value) && value > 0 && value <= 8) return true;
  // Thrown, not returned: yargs hands a returned string to .fail() as if it were the error itself.
  throw new UserError(`--scale: ${value} is not a number from above 0 to 8`, 2);
}

/** Image formats asked for, SVG first (the one linked when both are made). */
export function imageFormats(args: ImageArgs): ImageFormat[] {
  return [...(args.svg ? (['svg'] as const) : []), ...(args.png ? (['png'] as const) : [])];
}

/** Starts the browser for the asked formats; errors name the flags that needed it. */
export function rendererOpener(args: ImageArgs): () => Promise<DiagramRenderer> {
  const flags = imageFormats(args).map((f) => `--${f}`).join(' ');
  return () => openDiagramRenderer({ chromiumPath: args.chromium, pngScale: args.scale }, flags);
}
