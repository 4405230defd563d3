/** `flowscribe record [options] -- <command> [args...]`: run a command and record its HTTP traffic. */
import { isAbsolute, relative, resolve } from 'node:path';
import { record, type Recording } from '../capture/record-session.js';
import { UserError } from '../errors.js';
import type { CommandSpec } from './command.js';
import { recorderFlags, recorderSettings, type RecorderFlags } from './recorder-flags.js';
import { exposureWarning, routingBlock } from './routing-lines.js';
import { terminalObserver } from './status-line.js';
import { DEFAULT_LISTENER } from '../model/exchange.js';

type RecordArgs = RecorderFlags & { '--'?: Array<string | number>; words?: Array<string | number> };

/** A path as the user would type it: relative to the working directory when inside it. */
export function shownPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** Routing instructions for each labelled listener, on stderr (stdout is the command's). */
function printRouting(recording: Recording): void {
  const labelled = recording.recorder.listeners.filter((l) => l.label !== DEFAULT_LISTENER);
  const lines = labelled.flatMap((l) => routingBlock(l, recording.caBundlePath));
  if (lines.length) process.stderr.write(`${lines.join('\n')}\n`);
}

/** `flowscribe: 12 exchanges → captures/x.jsonl` */
export function summary(count: number, capturePath: string, cwd: string): string {
  return `flowscribe: ${count} ${count === 1 ? 'exchange' : 'exchanges'} → ${shownPath(capturePath, cwd)}`;
}

/** Warns, once the listeners are up, when `--host` lets other machines in. */
export function warnIfExposed(host: string): void {
  const warning = exposureWarning(host);
  if (warning) process.stderr.write(`${warning}\n`);
}

export const recordCommand: CommandSpec<RecordArgs> = {
  builder: (y) => recorderFlags(y).usage('$0 record [options] -- <command> [args...]'),
  run: async (args) => {
    if (args.words?.length) {
      throw new UserError(`record: put the command after -- (flowscribe record [options] -- ${args.words.join(' ')})`, 2);
    }
    const cwd = process.cwd();
    const settings = recorderSettings(args, cwd);
    const { observer, status } = terminalObserver((recording) => {
      warnIfExposed(settings.host);
      printRouting(recording);
    });
    const result = await record({
      argv: (args['--'] ?? []).map(String),
      capturePath: settings.output === null ? null : resolve(cwd, settings.output),
      cwd,
      env: process.env,
      settings,
      terminal: process.stdout,
      observer,
    }).finally(() => status?.clear());
    if (result.exit.kind === 'not-started') process.stderr.write(`flowscribe: ${result.exit.message}\n`);
    if (result.capturePath !== null) process.stderr.write(`${summary(result.exchangeCount, result.capturePath, cwd)}\n`);
    return result.exitCode;
  },
};
