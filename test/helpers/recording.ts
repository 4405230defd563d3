/** Runs the real recorder in this process on a temporary capture file and CA directory. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRecorder } from '../../src/capture/recorder.js';
import type { Recorder, RecorderOptions } from '../../src/capture/recorder-types.js';
import { readCapture } from '../../src/model/capture.js';
import type { Capture } from '../../src/model/exchange.js';
import { UPSTREAM_CERT } from './upstream.js';

/** One CA per test run: generating a key takes a while on a small machine. */
export const TEST_CA_DIR = mkdtempSync(join(tmpdir(), 'flowscribe-ca-'));

export interface Recording {
  recorder: Recorder;
  /** `http://127.0.0.1:PORT` of the default listener. */
  proxyUrl: string;
  capturePath: string;
  dir: string;
  /** PEM text of the recorder's CA certificate. */
  caPem: string;
  /** Stops the recorder and reads the capture back (validating every line against the schema). */
  finish(): Promise<Capture>;
}

export async function startRecording(overrides: Partial<RecorderOptions> = {}): Promise<Recording> {
  const dir = mkdtempSync(join(tmpdir(), 'flowscribe-rec-'));
  const capturePath = join(dir, 'capture.jsonl');
  const recorder = await startRecorder({
    capturePath,
    header: { argv: ['test'], cwd: dir, environment: {} },
    host: '127.0.0.1',
    port: 0,
    listeners: [],
    caDir: TEST_CA_DIR,
    bodyLimitBytes: 1024 * 1024,
    bodiesDir: null,
    upstreamCaPems: [UPSTREAM_CERT],
    ...overrides,
  });
  const port = recorder.listeners[0]?.port ?? 0;
  return {
    recorder,
    proxyUrl: `http://127.0.0.1:${port}`,
    capturePath,
    dir,
    caPem: readFileSync(recorder.caCertPath, 'utf8'),
    finish: async () => {
      await recorder.stop({ exit: null, stdout: null });
      return readCapture(capturePath);
    },
  };
}
