/**
 * The fast path of `flowscribe record` and `flowscribe proxy`: their plain forms (`record [--flag
 * value | --flag=value | -o value | --switch]... -- <command> [args...]`, `proxy [flags]...`) parsed
 * without yargs, whose loading alone costs about as much as the rest of a recorder's start, and
 * whose help layout leaves a long-running `proxy` about 10 MB more resident. Anything else (help, repeated or unknown flags,
 * values that look like flags, words before `--`) returns null and goes through yargs, which keeps
 * every usage error as it was: this parser never reports one.
 */
import type { ArgumentsCamelCase } from 'yargs';
import { RECORDER_OPTIONS, type RecorderFlags } from './recorder-flags.js';

type Flags = RecorderFlags & { debug?: boolean };
type Value = string | string[] | boolean;

/** `--name` / `-o` → the flag's name, when it is one of record's (or the global `--debug`). */
function flagName(token: string): keyof Flags | null {
  if (token === '--debug') return 'debug';
  const entries = Object.entries(RECORDER_OPTIONS) as Array<[keyof RecorderFlags, (typeof RECORDER_OPTIONS)[keyof RecorderFlags]]>;
  const found = entries.find(([name, o]) => token === `--${name}` || (o.alias !== undefined && token === `-${o.alias}`));
  return found ? found[0] : null;
}

/** The flags before `--`, or null when they are not all in a plain form. */
function plainFlags(tokens: string[]): Flags | null {
  const flags: Record<string, Value> = {};
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i] as string;
    const eq = token.startsWith('--') ? token.indexOf('=') : -1;
    const name = flagName(eq < 0 ? token : token.slice(0, eq));
    if (name === null) return null;
    const option = name === 'debug' ? { type: 'boolean' as const } : RECORDER_OPTIONS[name];
    let value: Value = true;
    if (option.type === 'string') {
      const next = eq < 0 ? tokens[(i += 1)] : token.slice(eq + 1);
      if (next === undefined || next === '' || next.startsWith('-')) return null;
      value = next;
    } else if (eq >= 0) return null;
    const arrayOption = 'array' in option && option.array;
    const before = flags[name];
    if (before !== undefined && !arrayOption) return null; // yargs says "given more than once"
    flags[name] = arrayOption ? [...((before as string[] | undefined) ?? []), value as string] : value;
  }
  return flags as Flags;
}

/** `record`'s arguments as yargs would hand them over, or null to let yargs parse `args`. */
export function quickRecordArgs(args: string[]): ArgumentsCamelCase<Flags & { '--'?: string[] }> | null {
  if (args[0] !== 'record') return null;
  const dashes = args.indexOf('--');
  const flags = plainFlags(args.slice(1, dashes < 0 ? undefined : dashes));
  if (flags === null) return null;
  const command = dashes < 0 ? [] : args.slice(dashes + 1);
  return { ...flags, ...(command.length ? { '--': command } : {}), _: ['record'], $0: 'flowscribe' };
}

/** `proxy`'s arguments as yargs would hand them over (record's flags, no command), or null to let yargs parse `args`. */
export function quickProxyArgs(args: string[]): ArgumentsCamelCase<Flags> | null {
  if (args[0] !== 'proxy') return null;
  const flags = plainFlags(args.slice(1));
  return flags && { ...flags, _: ['proxy'], $0: 'flowscribe' };
}
