/**
 * The live one-line status on a terminal's stderr: exchanges so far, bytes, last request.
 * Redrawn with `\r`, at most every `THROTTLE_MS`, and only when stderr is a TTY.
 */
import type { WriteStream } from 'node:tty';
import type { ExchangeRecord } from '../model/exchange.js';
import type { Recorder } from '../capture/recorder-types.js';
import type { Recording, RecordingObserver } from '../capture/record-session.js';
import { MASK_ALL, maskUrl } from '../model/redact-policy.js';

const THROTTLE_MS = 100;

/** `1536` → `1.5 KiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

function outcome(exchange: ExchangeRecord): string {
  if (exchange.state === 'completed') return String(exchange.response.statusCode);
  if (exchange.state === 'failed' || exchange.state === 'aborted') return `${exchange.state} ${exchange.error.code}`;
  return exchange.state;
}

/** The status text for the current state of a recording. */
export function statusText(recorder: Recorder, last: ExchangeRecord): string {
  const count = recorder.exchangeCount();
  const noun = count === 1 ? 'exchange' : 'exchanges';
  // The terminal (or a CI log) is an output too: `?password=`/`?token=` values are masked.
  return `flowscribe: ${count} ${noun}, ${formatBytes(recorder.bytesSeen())}; last: ${last.request.method} ${maskUrl(last.request.url, MASK_ALL)} → ${outcome(last)}`;
}

export class StatusLine {
  private lastDraw = 0;
  private timer: NodeJS.Timeout | null = null;
  private text = '';
  private shown = false;

  constructor(private readonly tty: WriteStream) {}

  /** Records the newest status; draws it now or after the throttle interval. */
  update(text: string): void {
    this.text = text;
    const wait = this.lastDraw + THROTTLE_MS - Date.now();
    if (wait <= 0) this.draw();
    else this.timer ??= setTimeout(() => this.draw(), wait).unref();
  }

  /** Erases the line (before the summary, or before other stderr output). */
  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.shown) this.tty.write('\r\x1b[K');
    this.shown = false;
  }

  private draw(): void {
    this.timer = null;
    this.lastDraw = Date.now();
    const width = Math.max(20, (this.tty.columns || 80) - 1);
    const line = this.text.length > width ? `${this.text.slice(0, width - 1)}…` : this.text;
    this.tty.write(`\r\x1b[K${line}`);
    this.shown = true;
  }
}

/**
 * What `record` and `proxy` show while recording: `ready` once listening, the status line (on a
 * TTY), and warnings as their own stderr lines.
 */
export function terminalObserver(ready: (recording: Recording) => void): { observer: RecordingObserver; status: StatusLine | null } {
  const status = process.stderr.isTTY ? new StatusLine(process.stderr as WriteStream) : null;
  const observer: RecordingObserver = {
    ready,
    exchange: (exchange, recorder) => status?.update(statusText(recorder, exchange)),
    warning: (message) => {
      status?.clear();
      process.stderr.write(`flowscribe: ${message.trimEnd()}\n`);
    },
  };
  return { observer, status };
}
