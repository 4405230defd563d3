/** What yargs, configured as `main.ts` configures it, hands a command: the reference the fast paths (quick-*.ts) are held to. */
import yargs, { type Argv } from 'yargs';
import { PARSER_CONFIGURATION } from '../../src/cli/main.js';

/** yargs' parse of `args` for one command (`command` as main's table names it), or `{ error }` with its usage error. */
export function parsedByYargs(args: string[], command: string, builder: (y: Argv) => Argv): Record<string, unknown> {
  let parsed: Record<string, unknown> = {};
  yargs(args)
    .parserConfiguration(PARSER_CONFIGURATION)
    .option('debug', { type: 'boolean', global: true })
    .command(command, command, builder, (argv) => {
      parsed = argv;
    })
    .strict()
    .exitProcess(false)
    .fail((msg) => {
      parsed = { error: msg };
    })
    .parse();
  return parsed;
}
