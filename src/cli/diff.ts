/**
 * `flowscribe diff A B [-o page.md]`: align two captures arrow by arrow and report what changed.
 * stdout gets `+8 −0 ~2 arrows` and one line per change; `-o` also writes a page with the merged
 * diagram and a table of changes, plus each side's own page next to it (`<page>-a.md`,
 * `<page>-b.md`) for the table's links. Exit status as diff(1): 0 same, 1 different, 2 trouble.
 */
import { writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { Argv } from 'yargs';
import { UserError } from '../errors.js';
import { loadCapture } from '../model/load-capture.js';
import { defaultConfig } from '../model/config.js';
import type { Capture } from '../model/exchange.js';
import { alignFlows, flowsAreSame } from '../model/flow-alignment.js';
import { buildTimeline } from '../model/timeline.js';
import { commandLine } from '../render/command-view.js';
import { renderDiffPage, renderDiffSummary, type DiffSide } from '../render/diff-view.js';
import { withSmallYoungGeneration } from './young-generation.js';
import { renderCaptureFile } from '../publish/output.js';
import { maskArgv } from '../model/redact-argv.js';
import { MASK_ALL } from '../model/redact-policy.js';
import type { CommandSpec } from './command.js';
import { pageOptions, pageOptionsBuilder, type PageArgs } from './render.js';
import { makeDirectory } from '../make-directory.js';

interface DiffArgs extends PageArgs {
  a: string;
  b: string;
  out?: string;
  'ignore-header': string[];
  'time-threshold'?: number;
}

function builder(y: Argv): Argv<DiffArgs> {
  const own = y
    .positional('a', { type: 'string', demandOption: true, describe: 'the first capture (JSON lines)' })
    .positional('b', { type: 'string', demandOption: true, describe: 'the second capture' })
    .option('out', { alias: 'o', type: 'string', describe: 'also write a diff page (and each side\'s page next to it)' })
    .option('ignore-header', { type: 'string', array: true, default: [], describe: 'leave this header out of the comparison (repeatable)' })
    .option('time-threshold', { type: 'number', describe: 'report a duration change beyond this many ms' });
  return pageOptionsBuilder(own) as unknown as Argv<DiffArgs>;
}

/** `docs/diff.md` → `docs/diff-a.md`. */
function sidePagePath(out: string, tag: 'a' | 'b'): string {
  return join(dirname(out), `${basename(out, extname(out))}-${tag}.md`);
}

type PageOptions = ReturnType<typeof pageOptions>;

async function loadSide(path: string, out: string | undefined, tag: 'a' | 'b', options: PageOptions): Promise<{ capture: Capture; page: string | null }> {
  if (!out) return { capture: await loadCapture(path), page: null };
  const sidePath = sidePagePath(out, tag);
  const rendered = await renderCaptureFile(path, sidePath, options);
  return { capture: rendered.capture, page: basename(sidePath) };
}

function side(name: string, capture: Capture, page: string | null, options: PageOptions): DiffSide {
  const { config = defaultConfig(), include = [], exclude = [], profile = null } = options;
  // Labels, not masks: the token column names each token's owner; no header value is printed.
  const timeline = buildTimeline(capture, { config, secrets: 'label', view: 'full', include, exclude, profile });
  const argv = capture.header.argv;
  return { name, command: argv && argv.length > 0 ? commandLine(maskArgv(argv, MASK_ALL)) : null, timeline, page };
}

async function run(args: DiffArgs): Promise<boolean> {
  if (args['time-threshold'] !== undefined && !(args['time-threshold'] >= 0)) {
    throw new UserError(`--time-threshold ${String(args['time-threshold'])}: not a number of milliseconds >= 0`, 2);
  }
  const options = pageOptions(args); // bad filter specs fail before anything is read
  const a = await loadSide(args.a, args.out, 'a', options);
  const b = await loadSide(args.b, args.out, 'b', options);
  const input = { a: side(args.a, a.capture, a.page, options), b: side(args.b, b.capture, b.page, options) };
  const alignment = alignFlows(input.a.timeline.arrows, input.b.timeline.arrows, {
    ignoreHeaders: args['ignore-header'],
    timeThresholdMs: args['time-threshold'] ?? null,
  });
  process.stdout.write(renderDiffSummary({ ...input, alignment }));
  if (args.out) {
    makeDirectory(dirname(args.out));
    await writeFile(args.out, renderDiffPage({ ...input, alignment }));
    process.stderr.write(`flowscribe: wrote ${args.out}, ${sidePagePath(args.out, 'a')} and ${sidePagePath(args.out, 'b')}\n`);
  }
  return flowsAreSame(alignment);
}

async function compare(args: DiffArgs): Promise<number> {
  try {
    return (await withSmallYoungGeneration(() => run(args))) ? 0 : 1;
  } catch (err) {
    // diff(1)'s convention: 1 means "different", so every failure is 2.
    if (err instanceof UserError) throw new UserError(err.message, 2, err.hint);
    throw new UserError(`diff: internal error: ${err instanceof Error ? err.message : String(err)}`, 2);
  }
}

export const diffCommand: CommandSpec<DiffArgs> = { builder, run: compare };
