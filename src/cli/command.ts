/**
 * What a command module gives `main.ts`: its flags and a `run` that returns the exit code.
 * Its name and one-line description live in main's table, so `--help` lists every command
 * without loading any of them.
 */
import type { ArgumentsCamelCase, Argv } from 'yargs';

export interface CommandSpec<A> {
  builder: (y: Argv<object>) => Argv<A>;
  /** Resolves with flowscribe's exit code; failures a user can fix throw `UserError`s. */
  run: (args: ArgumentsCamelCase<A>) => Promise<number>;
}
