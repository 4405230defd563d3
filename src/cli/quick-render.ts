/**
 * The fast path of `flowscribe render`: its plain form (`render CAPTURE [-o PAGE | --out PAGE |
 * --out=PAGE]`, every other flag at its default) parsed without yargs. Loading yargs, and the help
 * text it lays out before running any command (string widths by Unicode segmentation), cost more
 * than reading a small capture. Anything else returns null and goes through yargs, which keeps
 * every usage error and help text as it was: this parser never reports one.
 */
import type { ArgumentsCamelCase } from 'yargs';
import { IMAGE_FLAG_DEFAULTS } from './image-flags.js';
import { PAGE_FLAG_DEFAULTS, type RenderArgs } from './render.js';

/** A value as yargs would take it for `-o`/`--out` here: anything but nothing or a flag. */
const plainValue = (value: string | undefined): value is string => value !== undefined && value !== '' && !value.startsWith('-');

/** `render`'s arguments as yargs would hand them over, or null to let yargs parse `args`. */
export function quickRenderArgs(args: string[]): ArgumentsCamelCase<RenderArgs> | null {
  if (args[0] !== 'render') return null;
  let capture: string | undefined;
  let out: string | undefined;
  for (let i = 1; i < args.length; i += 1) {
    const token = args[i] as string;
    const value = token === '-o' || token === '--out' ? args[(i += 1)] : token.startsWith('--out=') ? token.slice('--out='.length) : null;
    if (value !== null) {
      if (out !== undefined || !plainValue(value)) return null; // yargs says "given more than once" or takes it differently
      out = value;
    } else if (capture === undefined && plainValue(token)) capture = token;
    else return null;
  }
  if (capture === undefined) return null;
  const flags = { ...PAGE_FLAG_DEFAULTS, include: [], exclude: [], ...IMAGE_FLAG_DEFAULTS, capture, ...(out === undefined ? {} : { out }) };
  return { ...flags, launchJson: flags['launch-json'], _: ['render'], $0: 'flowscribe' };
}
