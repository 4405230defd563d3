/**
 * `flowscribe merge A.jsonl B.jsonl … -o all.jsonl [--offset FILE=±SECONDS]`: the captures of
 * several recorders (one per host) as one capture on one timeline.
 */
import type { Argv } from 'yargs';
import type { CommandSpec } from './command.js';
import { UserError } from '../errors.js';
import { loadCapture } from '../model/load-capture.js';
import { captureLines, mergeCaptures } from '../model/merge.js';
import { toStdout, writeOutput } from '../publish/output-file.js';

interface MergeArgs {
  captures: string[];
  out?: string;
  offset: string[];
}

function builder(y: Argv<object>): Argv<MergeArgs> {
  return y
    .positional('captures', { type: 'string', array: true, demandOption: true, describe: 'capture files (.jsonl or .har), one per recorder' })
    .option('out', { alias: 'o', type: 'string', describe: 'merged capture to write (default stdout)' })
    .option('offset', { type: 'string', array: true, default: [], describe: 'FILE=±SECONDS added to that recorder\'s clock (a known skew)' }) as unknown as Argv<MergeArgs>;
}

/** `--offset b.jsonl=-1.5` → Map(b.jsonl → -1.5); the file must be one of the captures. */
export function parseOffsets(specs: string[], files: string[]): Map<string, number> {
  const offsets = new Map<string, number>();
  for (const spec of specs) {
    const eq = spec.lastIndexOf('=');
    const file = spec.slice(0, eq);
    const seconds = Number(spec.slice(eq + 1));
    if (eq <= 0 || spec.slice(eq + 1).trim() === '' || !Number.isFinite(seconds)) {
      throw new UserError(`--offset ${spec}: not FILE=±SECONDS (e.g. b.jsonl=-1.25)`, 2);
    }
    if (!files.includes(file)) throw new UserError(`--offset ${spec}: ${file} is not one of the captures to merge`, 2);
    offsets.set(file, seconds);
  }
  return offsets;
}

async function run(args: MergeArgs): Promise<number> {
  if (args.captures.length < 2) throw new UserError('merge: name at least two captures', 2);
  const offsets = parseOffsets(args.offset, args.captures);
  const inputs = [];
  for (const file of args.captures) inputs.push({ file, capture: await loadCapture(file), offsetSeconds: offsets.get(file) ?? 0 });
  const merged = mergeCaptures(inputs);
  for (const warning of merged.warnings) process.stderr.write(`flowscribe: warning: ${warning}\n`);
  await writeOutput(args.out, captureLines(merged));
  if (!toStdout(args.out)) process.stderr.write(`flowscribe: ${merged.exchanges.length} exchanges from ${inputs.length} recorders → ${args.out}\n`);
  return 0;
}

export const mergeCommand: CommandSpec<MergeArgs> = { builder, run };
