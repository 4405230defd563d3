/** The flags `record` and `proxy` share, and their conversion into recorder settings. */
import type { Argv } from 'yargs';
import { resolve } from 'node:path';
import { recordDefaults } from '../defaults.js';
import type { RecorderSettings } from '../capture/record-session.js';
import { UserError } from '../errors.js';
import { parseListens, parsePort, parseSeconds, parseSize } from './flag-values.js';

/** Raw flag values as yargs hands them over (strings, so errors can name the flag). */
export interface RecorderFlags {
  port?: string;
  host?: string;
  listen?: string[];
  service?: string[];
  output?: string;
  'body-limit'?: string;
  'bodies-dir'?: string;
  'ca-dir'?: string;
  'upstream-ca'?: string[];
  'insecure-upstream'?: boolean;
  'upstream-timeout'?: string;
  'connect-timeout'?: string;
}

/** One recorder flag as yargs declares it (also read by the `record` fast path, `quick-record.ts`). */
export interface RecorderOption {
  type: 'string' | 'boolean';
  array?: true;
  alias?: string;
  describe: string;
}

/** The shared recorder flags: the one home of their names, kinds and help texts. */
export const RECORDER_OPTIONS: Readonly<Record<keyof RecorderFlags, RecorderOption>> = {
  port: { type: 'string', describe: 'port of the main listener (default: a free port, chosen by the system)' },
  host: { type: 'string', describe: `address every listener binds (default: ${recordDefaults.host})` },
  listen: {
    type: 'string',
    array: true,
    describe: 'extra listener NAME=PORT: requests arriving on it are attributed to NAME (repeatable)',
  },
  service: { type: 'string', array: true, describe: 'same as --listen' },
  output: { alias: 'o', type: 'string', describe: 'capture file (default: captures/<command>-<time>.jsonl)' },
  'body-limit': { type: 'string', describe: 'bytes of each body kept in the capture, e.g. 512k, 1MiB (default: 1MiB)' },
  'bodies-dir': { type: 'string', describe: 'also keep every full body in DIR, named by its SHA-256' },
  'ca-dir': { type: 'string', describe: 'directory of the recorder CA (default: ~/.flowscribe/ca)' },
  'upstream-ca': {
    type: 'string',
    array: true,
    describe: "trust this PEM CA file for upstream HTTPS, besides the system store and the command's own CA settings (repeatable)",
  },
  'insecure-upstream': { type: 'boolean', describe: 'do not verify upstream TLS certificates (noted in the capture)' },
  'upstream-timeout': {
    type: 'string',
    describe: `seconds without upstream data before the client gets 504 (default: ${recordDefaults.upstreamTimeoutMs / 1000})`,
  },
  'connect-timeout': {
    type: 'string',
    describe: 'seconds a new upstream connection (TCP and TLS handshake) may take (default: the upstream timeout)',
  },
};

/** Adds the shared recorder flags to a command's builder. */
export function recorderFlags<T>(y: Argv<T>): Argv<T & RecorderFlags> {
  return y.options(RECORDER_OPTIONS) as Argv<T & RecorderFlags>;
}

/** The upstream flags: CA files resolved against `cwd`, timeouts in milliseconds. */
function upstreamSettings(flags: RecorderFlags, cwd: string) {
  const timeout = single('upstream-timeout', flags['upstream-timeout']);
  const connect = single('connect-timeout', flags['connect-timeout']);
  const files = flags['upstream-ca'] ?? [];
  if (files.some((f) => f === '')) throw new UserError('--upstream-ca: needs a file', 2);
  return {
    upstreamCaFiles: files.map((f) => resolve(cwd, f)),
    insecureUpstream: flags['insecure-upstream'] ?? false,
    ...(timeout === undefined ? {} : { upstreamTimeoutMs: parseSeconds('--upstream-timeout', timeout) }),
    ...(connect === undefined ? {} : { connectTimeoutMs: parseSeconds('--connect-timeout', connect) }),
  };
}

function single(flag: string, value: unknown): string | undefined {
  if (Array.isArray(value)) throw new UserError(`--${flag}: given more than once`, 2);
  if (value === '') throw new UserError(`--${flag}: needs a value`, 2);
  return value as string | undefined;
}

/** Validates the shared flags; every error names its flag and exits 2. */
export function recorderSettings(flags: RecorderFlags, cwd: string): RecorderSettings & { output: string | null } {
  const port = single('port', flags.port);
  const limit = single('body-limit', flags['body-limit']);
  const listeners = parseListens([
    ...(flags.listen ?? []).map((value) => ({ flag: '--listen', value })),
    ...(flags.service ?? []).map((value) => ({ flag: '--service', value })),
  ]);
  const settings = {
    host: single('host', flags.host) ?? recordDefaults.host,
    port: port === undefined ? recordDefaults.port : parsePort('--port', port),
    listeners,
    caDir: resolve(cwd, single('ca-dir', flags['ca-dir']) ?? recordDefaults.caDir),
    bodyLimitBytes: limit === undefined ? recordDefaults.bodyLimitBytes : parseSize('--body-limit', limit),
    bodiesDir: flags['bodies-dir'] === undefined ? null : resolve(cwd, single('bodies-dir', flags['bodies-dir']) ?? ''),
    output: single('output', flags.output) ?? null,
    ...upstreamSettings(flags, cwd),
  };
  const clash = listeners.find((l) => l.port !== 0 && l.port === settings.port);
  if (clash) throw new UserError(`--listen ${clash.label}=${clash.port}: same port as --port`, 2);
  return settings;
}
