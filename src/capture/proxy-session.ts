/**
 * `flowscribe proxy`: a recorder without a command, shared by any processes routed through it,
 * until SIGINT/SIGTERM. Its trailer has no exit and no stdout.
 */
import { once } from 'node:events';
import { commandSlug, defaultCapturePath } from './capture-file/capture-path.js';
import { recordDefaults } from '../defaults.js';
import { startRecording, type RecorderSettings, type RecordingObserver } from './record-session.js';
import { createSourceResolver } from './attribution/source.js';
import { stopPretenuring } from './proxy/pretenuring.js';

export interface ProxyRequest {
  /** Capture file, or null for `captures/proxy-<time>.jsonl` under `cwd`. */
  capturePath: string | null;
  cwd: string;
  env: NodeJS.ProcessEnv;
  settings: RecorderSettings;
  observer?: RecordingObserver;
  /** Resolves when recording should stop (the CLI passes the first SIGINT/SIGTERM). */
  until: Promise<unknown>;
}

export interface ProxyResult {
  capturePath: string;
  exchangeCount: number;
}

/** Records every request routed through the recorder until `request.until` resolves. */
export async function serveProxy(request: ProxyRequest): Promise<ProxyResult> {
  stopPretenuring(); // a long-running recorder of many clients (see pretenuring.ts)
  const path = request.capturePath ?? defaultCapturePath(request.cwd, recordDefaults.capturesDir, commandSlug(['proxy']), new Date());
  const resolveSource = createSourceResolver({ clientPid: () => null });
  const capture = { path, argv: null, cwd: request.cwd, env: request.env };
  const { recorder } = await startRecording(request.settings, capture, resolveSource, request.observer);
  // A capture that broke ends the session at once: nothing is recorded any more, so exit non-zero now.
  await Promise.race([request.until, recorder.failed]);
  await recorder.stop({ exit: null, stdout: null });
  return { capturePath: path, exchangeCount: recorder.exchangeCount() };
}

/** Resolves with the first of `signals` the process receives (and keeps it from killing us). */
export function firstSignal(signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']): Promise<NodeJS.Signals> {
  return Promise.race(signals.map((s) => once(process, s).then(() => s)));
}
