/** flowscribe's library API: what the CLI, the tests and bench/ import. */
export * from './errors.js';
export * from './model/exchange.js';
export { parseCapture, readCapture, parseRecord, captureRecordValidator } from './model/capture.js';
