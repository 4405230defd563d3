/**
 * The yargs root: a table of commands, each in its own module. The only place that prints
 * errors and sets the exit code.
 */
import yargs from 'yargs';
import { UserError } from '../errors.js';
import { recordCommand } from './record.js';
import { proxyCommand } from './proxy.js';
import { caCommand } from './ca.js';
import { renderCommand } from './render.js';
import { siteCommand } from './site.js';
import { exportCommand } from './export.js';
import { importCommand } from './import.js';
import { mergeCommand } from './merge.js';

/** Set by a command handler that wants a specific exit code (e.g. `record` passes on the child's). */
export function setExitCode(code: number): void {
  process.exitCode = code;
}

function report(err: unknown, debug: boolean): number {
  if (err instanceof UserError) {
    process.stderr.write(`flowscribe: ${err.message}\n`);
    if (err.hint) process.stderr.write(`  hint: ${err.hint}\n`);
    if (debug && err.stack) process.stderr.write(`${err.stack}\n`);
    return err.exitCode;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  process.stderr.write(`flowscribe: internal error: ${e.message} (--debug for the stack)\n`);
  if (debug && e.stack) process.stderr.write(`${e.stack}\n`);
  return 1;
}

export async function main(args: string[]): Promise<void> {
  const debug = args.includes('--debug');
  try {
    await yargs(args)
      .scriptName('flowscribe')
      .parserConfiguration({ 'populate--': true })
      .option('debug', { type: 'boolean', describe: 'print stack traces of errors', global: true })
      .command(recordCommand)
      .command(proxyCommand)
      .command(caCommand)
      .command(renderCommand)
      .command(siteCommand)
      .command(exportCommand)
      .command(importCommand)
      .command(mergeCommand)
      .demandCommand(1, 'name a command: record, proxy, ca, render or site')
      .strict()
      .help()
      .version()
      .fail((msg: string | undefined, err: Error | undefined) => {
        // One line, as every usage error: the pointer to --help goes on the same line.
        throw err ?? new UserError(`${msg ?? 'invalid arguments'} (see flowscribe --help)`, 2);
      })
      .parseAsync();
  } catch (err) {
    process.exitCode = report(err, debug);
  }
}
