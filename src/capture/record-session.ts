/**
 * The `record` pipeline: check the command, start the recorder (failing before anything runs),
 * run the command through it, then write the trailer with the command's exit and stdout.
 * Also the start-up shared with `flowscribe proxy`.
 */
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';
import type { CommandExit, ExchangeRecord } from '../model/exchange.js';
import { DEFAULT_LISTENER } from '../model/exchange.js';
import { UserError } from '../errors.js';
import { BodyRecorder } from './capture-file/body-recorder.js';
import { commandSlug, defaultCapturePath } from './capture-file/capture-path.js';
import { CaFileReader } from './command/ca-files.js';
import { osEnvironment, proxiedEnvironment, proxyUrl, writeCaBundle } from './command/environment.js';
import { localAddress } from './proxy/listen-address.js';
import { maskArgv } from '../model/redact-argv.js';
import { MASK_ALL } from '../model/redact-policy.js';
import { recordDefaults } from '../defaults.js';
import { startRecorder } from './recorder.js';
import type { Recorder, RecorderOptions, SourceResolver } from './recorder-types.js';
import { createSourceResolver } from './attribution/source.js';
import { argvWithBundle, upstreamTrust, type UpstreamSettings } from './proxy/upstream-trust.js';
import { checkExecutable, exitCodeOf, resolveExecutable, startCommand, type NotStarted, type Started } from './command/wrap-command.js';

/** What the user chose about the recorder itself (flags shared by `record` and `proxy`). */
export type RecorderSettings = Pick<
  RecorderOptions,
  'host' | 'port' | 'listeners' | 'caDir' | 'bodyLimitBytes' | 'bodiesDir' | 'upstreamTimeoutMs' | 'connectTimeoutMs'
> &
  UpstreamSettings;

/** A running recorder plus what processes need to route through it. */
export interface Recording {
  recorder: Recorder;
  capturePath: string;
  /** System CAs + the recorder's CA, for `REQUESTS_CA_BUNDLE` and friends. */
  caBundlePath: string;
}

/** Progress callbacks for the CLI (status line, routing instructions). */
export interface RecordingObserver {
  /** The recorder listens; nothing has run yet. */
  ready?: (recording: Recording) => void;
  /** One more exchange record was written. */
  exchange?: (exchange: ExchangeRecord, recorder: Recorder) => void;
  /** Something went wrong outside any exchange (a client rejected our certificate, the capture broke). */
  warning?: (message: string) => void;
}

export interface RecordRequest {
  argv: string[];
  /** Capture file, or null for `captures/<slug>-<time>.jsonl` under `cwd`. */
  capturePath: string | null;
  cwd: string;
  /** The environment the command would get without flowscribe. */
  env: NodeJS.ProcessEnv;
  settings: RecorderSettings;
  /** Where the command's stdout is passed on to. */
  terminal: Writable;
  /** Where its stderr goes; default flowscribe's own stderr. */
  stderr?: Writable;
  observer?: RecordingObserver;
}

export interface RecordResult {
  /** What flowscribe exits with: the command's code, 128 + signal, or 126/127 if it could not start. */
  exitCode: number;
  exit: CommandExit;
  /** Null when the command was not found, so nothing was recorded. */
  capturePath: string | null;
  exchangeCount: number;
}

/** The header's `executable`: where argv[0] resolves (a debugger configuration needs the real program). */
function executableOf(capture: { argv: string[] | null; cwd: string; env: NodeJS.ProcessEnv }): { executable?: string } {
  const found = capture.argv?.[0] === undefined ? null : resolveExecutable(capture.argv[0], capture.env, capture.cwd);
  return found && 'path' in found ? { executable: found.path } : {};
}

/** Starts a recorder with the capture header filled in and writes the CA bundle next to its CA. */
export async function startRecording(
  settings: RecorderSettings,
  capture: { path: string; argv: string[] | null; cwd: string; env: NodeJS.ProcessEnv },
  resolveSource: SourceResolver,
  observer: RecordingObserver = {},
): Promise<Recording> {
  const holder: { recorder?: Recorder } = {};
  const warn = (message: string): void => observer.warning?.(message);
  // The system bundle is read once, for the upstream trust and for the command's bundle.
  const caFiles = new CaFileReader();
  const trust = upstreamTrust(settings, capture, warn, caFiles);
  if (settings.insecureUpstream) warn('--insecure-upstream: upstream TLS certificates are NOT verified (noted in the capture header)');
  const recorder = await startRecorder({
    ...settings,
    upstreamCaPems: trust.pems,
    capturePath: capture.path,
    header: {
      // The capture never stores `--os-password X` in clear (the command itself gets the real argv).
      argv: capture.argv && maskArgv(capture.argv, MASK_ALL),
      ...executableOf(capture),
      cwd: capture.cwd,
      environment: osEnvironment(capture.env),
      upstreamTls: trust.header,
    },
    resolveSource,
    onExchange: (exchange) => {
      if (holder.recorder) observer.exchange?.(exchange, holder.recorder);
    },
    onWarning: warn,
    onFatal: (error) => observer.warning?.(`${error.message}; no longer recording (listeners closed)`),
  });
  holder.recorder = recorder;
  let caBundlePath: string;
  try {
    caBundlePath = writeCaBundle(settings.caDir, recorder.caCertPath, trust.inheritedPems, caFiles);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const error = new UserError(`--ca-dir ${settings.caDir}: cannot write ca-bundle.pem (${e.code ?? e.message})`);
    await stopBeforeCommand(recorder, capture.argv !== null, error);
    throw error;
  }
  const recording = { recorder, capturePath: capture.path, caBundlePath };
  observer.ready?.(recording);
  return recording;
}

/** Ends a recording that failed before its command ran, so the capture is still complete. */
async function stopBeforeCommand(recorder: Recorder, hasCommand: boolean, error: Error): Promise<void> {
  await recorder.stop({ exit: hasCommand ? { kind: 'not-started', message: error.message } : null, stdout: null });
}

/** The URL of the recorder's main listener, as a process on this machine reaches it. */
export function mainProxyUrl(recorder: Recorder): string {
  const main = recorder.listeners.find((l) => l.label === DEFAULT_LISTENER) ?? recorder.listeners[0];
  if (!main) throw new Error('recorder has no listener');
  return proxyUrl(localAddress(main.host), main.port);
}

/** Forwards SIGINT/SIGTERM/SIGHUP to the command while it runs; returns the undo. */
function forwardSignals(command: { signal(s: NodeJS.Signals): void }): () => void {
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const handlers = signals.map((s) => [s, () => command.signal(s)] as const);
  for (const [s, h] of handlers) process.on(s, h);
  return () => {
    for (const [s, h] of handlers) process.off(s, h);
  };
}

async function runCommand(recording: Recording, started: Started | NotStarted) {
  if (started.kind === 'not-started') {
    const exit: CommandExit = { kind: 'not-started', message: started.message };
    await recording.recorder.stop({ exit, stdout: null });
    return { exit, exitCode: started.exitCode };
  }
  const undo = forwardSignals(started);
  try {
    const { exit, stdout } = await started.done;
    await recording.recorder.stop({ exit, stdout });
    return { exit, exitCode: exitCodeOf(exit) };
  } finally {
    undo();
  }
}

/** Starts the command routed through the recorder, keeping its stdout like a body. */
async function launch(request: RecordRequest, recording: Recording): Promise<Started | NotStarted> {
  const { argv, cwd, env, settings } = request;
  try {
    const stdout = new BodyRecorder({
      limitBytes: settings.bodyLimitBytes,
      contentType: 'text/plain; charset=utf-8',
      contentEncoding: null,
      bodiesDir: settings.bodiesDir,
      relativeTo: dirname(recording.capturePath),
    });
    const commandEnv = proxiedEnvironment(env, mainProxyUrl(recording.recorder), recording.caBundlePath);
    return await startCommand({
      argv: argvWithBundle(argv, recording.caBundlePath),
      env: commandEnv,
      cwd,
      stdout,
      terminal: request.terminal,
      ...(request.stderr ? { stderr: request.stderr } : {}),
    });
  } catch (err) {
    // Never leave listeners running (flowscribe would not exit) or a capture without its trailer.
    await stopBeforeCommand(recording.recorder, true, err as Error);
    throw err;
  }
}

/** Records one run of `request.argv`. Bad input and start-up failures throw `UserError`s. */
export async function record(request: RecordRequest): Promise<RecordResult> {
  const { argv, cwd, env, settings } = request;
  const name = argv[0];
  if (name === undefined) throw new UserError('record: nothing to run; put the command after --', 2);
  const missing = checkExecutable(name, env, cwd);
  if (missing) return { exitCode: missing.exitCode, exit: { kind: 'not-started', message: missing.message }, capturePath: null, exchangeCount: 0 };

  const path = request.capturePath ?? defaultCapturePath(cwd, recordDefaults.capturesDir, commandSlug(argv), new Date());
  let clientPid: number | null = null;
  const resolveSource = createSourceResolver({ clientPid: () => clientPid });
  const recording = await startRecording(settings, { path, argv, cwd, env }, resolveSource, request.observer);

  const started = await launch(request, recording);
  if (started.kind === 'started') clientPid = started.pid;
  const { exit, exitCode } = await runCommand(recording, started);
  return { exitCode, exit, capturePath: path, exchangeCount: recording.recorder.exchangeCount() };
}
