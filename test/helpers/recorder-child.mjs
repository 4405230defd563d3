// Runs the built recorder (dist/) in its own process, so tests and bench/ can measure its memory
// (/proc/PID/status VmHWM) and kill it. argv[2]: JSON of RecorderOptions fields to override.
// Prints one JSON line {port, caCertPath, pid} once listening; SIGTERM stops it cleanly.
import { startRecorder } from '../../dist/index.js';

const overrides = JSON.parse(process.argv[2] ?? '{}');
const recorder = await startRecorder({
  header: { argv: null, cwd: process.cwd(), environment: {} },
  host: '127.0.0.1',
  port: 0,
  listeners: [],
  bodyLimitBytes: 1024 * 1024,
  bodiesDir: null,
  ...overrides,
});
process.stdout.write(`${JSON.stringify({ port: recorder.listeners[0].port, caCertPath: recorder.caCertPath, pid: process.pid })}\n`);
process.once('SIGTERM', () => {
  recorder.stop({ exit: null, stdout: null }).then(
    () => process.exit(0),
    (err) => {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    },
  );
});
