/**
 * `flowscribe export <capture> --format har|otlp [-o FILE] [--otlp-endpoint URL]`: a capture (or a
 * HAR) as HAR 1.2 or as an OTLP/JSON trace, on stdout, in a file, or POSTed to an OTLP receiver.
 */
import type { Argv } from 'yargs';
import type { CommandSpec } from './command.js';
import { UserError } from '../errors.js';
import { loadCapture } from '../model/load-capture.js';
import type { SecretsMode } from '../model/redact.js';
import { renderHar } from '../render/har.js';
import { RENDER_DEFAULTS } from '../defaults.js';
import { traceIdOf } from '../model/trace-ids.js';
import { renderOtlp } from '../render/otlp.js';
import { flowscribeVersion } from '../version.js';
import { postTraces } from './otlp-endpoint.js';
import { toStdout, writeOutput } from '../publish/output-file.js';
import { loadConfig } from './render.js';
import { PROFILE_CHOICES, profileNamed, type ProfileChoice } from '../model/profiles/choose.js';

const FORMATS = ['har', 'otlp'] as const;

interface ExportArgs {
  capture: string;
  format: (typeof FORMATS)[number];
  out?: string;
  secrets: SecretsMode;
  config?: string;
  profile: ProfileChoice;
  'otlp-endpoint'?: string;
}

function builder(y: Argv<object>): Argv<ExportArgs> {
  return y
    .positional('capture', { type: 'string', demandOption: true, describe: 'capture file (.jsonl) or HAR (.har)' })
    .option('format', { choices: FORMATS, demandOption: true, describe: 'har: HAR 1.2; otlp: OTLP/JSON ExportTraceServiceRequest' })
    .option('out', { alias: 'o', type: 'string', describe: 'file to write (default stdout, or nothing with --otlp-endpoint)' })
    .option('secrets', { choices: ['mask', 'label', 'raw'] as const, default: RENDER_DEFAULTS.secrets as SecretsMode, describe: 'how passwords and tokens appear' })
    .option('config', { type: 'string', describe: `config file for participant names (default ./${RENDER_DEFAULTS.configFile} if present)` })
    .option('profile', { choices: PROFILE_CHOICES, default: RENDER_DEFAULTS.profile as ProfileChoice, describe: 'names services (OTLP) and token owners (--secrets label)' })
    .option('otlp-endpoint', { type: 'string', describe: 'POST the trace to this OTLP/HTTP receiver (http://host:4318 → /v1/traces)' }) as unknown as Argv<ExportArgs>;
}

async function run(args: ExportArgs): Promise<number> {
  const endpoint = args['otlp-endpoint'];
  if (endpoint !== undefined && args.format !== 'otlp') throw new UserError('export: --otlp-endpoint needs --format otlp', 2);
  const profile = profileNamed(args.profile);
  const capture = await loadCapture(args.capture);
  for (const warning of capture.warnings) process.stderr.write(`flowscribe: warning: ${warning}\n`);
  const version = flowscribeVersion();
  const text = args.format === 'har'
    ? renderHar(capture, { secrets: args.secrets, version, profile })
    : renderOtlp(capture, { secrets: args.secrets, version, config: loadConfig(args.config), profile });
  if (endpoint !== undefined) {
    const url = await postTraces(endpoint, text);
    process.stderr.write(`flowscribe: sent ${capture.exchanges.length} span(s) of trace ${traceIdOf(capture)} to ${url.href}\n`);
    if (toStdout(args.out)) return 0;
  }
  await writeOutput(args.out, text);
  if (!toStdout(args.out)) process.stderr.write(`flowscribe: wrote ${args.out}\n`);
  return 0;
}

export const exportCommand: CommandSpec<ExportArgs> = { builder, run };
