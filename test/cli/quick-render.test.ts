/**
 * `render`'s fast path against yargs: for every argument list it accepts, it must hand `render`
 * what yargs (with render's own builder, configured as `main.ts` configures it) would, defaults
 * included; everything else it must leave to yargs.
 */
import { describe, expect, it } from 'vitest';
import { quickRenderArgs } from '../../src/cli/quick-render.js';
import { renderCommand } from '../../src/cli/render.js';
import { parsedByYargs } from '../helpers/yargs-parse.js';

/** yargs' parse of `args` with render's own flags, or its usage error. */
const viaYargs = (args: string[]): Record<string, unknown> => parsedByYargs(args, 'render <capture>', (y) => renderCommand.builder(y));

/** The keys render reads: every one yargs gives but aliases of them (`o`, camelCase forms) and its own. */
function readByRender(parsed: Record<string, unknown>): Record<string, unknown> {
  const aliases = new Set(['_', '$0', 'o', 'launchJson', 'snippetsBase', 'debug']);
  return Object.fromEntries(Object.entries(parsed).filter(([k, v]) => !aliases.has(k) && v !== undefined));
}

const PLAIN: string[][] = [
  ['render', 'c.jsonl'],
  ['render', 'captures/x y.jsonl', '-o', 'docs/x.md'],
  ['render', '-o', 'p.md', 'c.jsonl'],
  ['render', 'c.jsonl', '--out', 'p.md'],
  ['render', '--out=p.md', 'c.jsonl'],
  ['render', '1.50'],
];

/** Forms the fast path leaves to yargs: any other flag, help, repeats, errors. */
const LEFT_TO_YARGS: string[][] = [
  ['render'],
  ['render', 'c.jsonl', '--help'],
  ['render', 'c.jsonl', '--timings'],
  ['render', 'c.jsonl', '--secrets', 'raw'],
  ['render', 'c.jsonl', '-o', 'a.md', '-o', 'b.md'],
  ['render', 'c.jsonl', '-o'],
  ['render', 'c.jsonl', '--out='],
  ['render', 'c.jsonl', '-o', '-'],
  ['render', 'a.jsonl', 'b.jsonl'],
  ['render', '-'],
  ['render', 'c.jsonl', '--'],
  ['render', 'c.jsonl', '--debug'],
  ['--debug', 'render', 'c.jsonl'],
  ['record', '--', 'true'],
];

describe('quickRenderArgs', () => {
  it.each(PLAIN.map((a) => [a]))('hands render what yargs would: %j', (args) => {
    const quick = quickRenderArgs(args);
    expect(quick).not.toBeNull();
    const expected = viaYargs(args);
    expect(expected).not.toHaveProperty('error');
    expect(readByRender(quick as unknown as Record<string, unknown>)).toEqual(readByRender(expected));
    expect(quick?.launchJson).toBe(expected.launchJson);
  });

  it.each(LEFT_TO_YARGS.map((a) => [a]))('leaves %j to yargs', (args) => {
    expect(quickRenderArgs(args)).toBeNull();
  });
});
