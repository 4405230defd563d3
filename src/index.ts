/** flowscribe's library API: what the CLI, the tests and bench/ import. */
export * from './errors.js';
export * from './model/exchange.js';
export { parseCapture, readCapture, parseRecord, captureRecordValidator } from './model/capture.js';
export { startRecorder, DEFAULT_UPSTREAM_TIMEOUT_MS } from './capture/recorder.js';
export type { Recorder, RecorderOptions, ConnectionInfo, SourceResolver } from './capture/recorder-types.js';
export { ensureCa } from './capture/ca.js';
export { BodyRecorder } from './capture/body-recorder.js';
