/** `flowscribe import <file.har> [-o capture.jsonl]`: a HAR 1.2 file as a flowscribe capture. */
import type { Argv } from 'yargs';
import type { CommandSpec } from './command.js';
import { UserError } from '../errors.js';
import { isHarFile, readHar } from '../model/load-capture.js';
import { captureLines } from '../model/merge.js';
import { toStdout, writeOutput } from '../publish/output-file.js';

interface ImportArgs {
  file: string;
  out?: string;
}

function builder(y: Argv<object>): Argv<ImportArgs> {
  return y
    .positional('file', { type: 'string', demandOption: true, describe: 'HAR file (.har)' })
    .option('out', { alias: 'o', type: 'string', describe: 'capture to write (default stdout)' }) as unknown as Argv<ImportArgs>;
}

async function run(args: ImportArgs): Promise<number> {
  if (!isHarFile(args.file)) throw new UserError(`import ${args.file}: not a .har file (captures need no import)`, 2);
  const capture = await readHar(args.file);
  for (const warning of capture.warnings) process.stderr.write(`flowscribe: warning: ${warning}\n`);
  await writeOutput(args.out, captureLines(capture));
  if (!toStdout(args.out)) process.stderr.write(`flowscribe: ${capture.exchanges.length} exchanges → ${args.out}\n`);
  return 0;
}

export const importCommand: CommandSpec<ImportArgs> = { builder, run };
