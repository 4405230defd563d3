/** `flowscribe proxy`: a recorder other processes route through, until SIGINT/SIGTERM. */
import { resolve } from 'node:path';
import { firstSignal, serveProxy } from '../capture/proxy-session.js';
import type { Recording } from '../capture/record-session.js';
import type { CommandSpec } from './command.js';
import { summary, warnIfExposed } from './record.js';
import { recorderFlags, recorderSettings, type RecorderFlags } from './recorder-flags.js';
import { routingBlock } from './routing-lines.js';
import { terminalObserver } from './status-line.js';

/** The routing lines for every listener go to stdout (there is no command to own it here). */
function printRouting(recording: Recording): void {
  const lines = recording.recorder.listeners.flatMap((l) => routingBlock(l, recording.caBundlePath));
  process.stdout.write(`${lines.join('\n')}\n`);
  process.stderr.write(`flowscribe: recording to ${recording.capturePath}; stop with Ctrl-C or SIGTERM\n`);
}

export const proxyCommand: CommandSpec<RecorderFlags> = {
  builder: (y) => recorderFlags(y),
  run: async (args) => {
    const cwd = process.cwd();
    const settings = recorderSettings(args, cwd);
    const { observer, status } = terminalObserver((recording) => {
      warnIfExposed(settings.host);
      printRouting(recording);
    });
    const result = await serveProxy({
      capturePath: settings.output === null ? null : resolve(cwd, settings.output),
      cwd,
      env: process.env,
      settings,
      until: firstSignal(),
      observer,
    }).finally(() => status?.clear());
    process.stderr.write(`${summary(result.exchangeCount, result.capturePath, cwd)}\n`);
    return 0;
  },
};
