/** Starts `recorder-child.mjs` (the built recorder in its own process) and watches its memory. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const SCRIPT = fileURLToPath(new URL('recorder-child.mjs', import.meta.url));
const DIST = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

export interface ChildRecorder {
  pid: number;
  port: number;
  proxyUrl: string;
  caPem: string;
  child: ChildProcess;
  /** Everything the recorder printed on stderr so far. */
  stderr(): string;
  /** Whatever it printed on stdout after its first line. */
  laterStdout(): string;
  /** Peak resident set size so far (VmHWM), bytes. */
  peakRssBytes(): number;
  /** SIGTERM and wait for a clean exit; resolves to the exit code. */
  stop(): Promise<number | null>;
}

export async function startChildRecorder(options: Record<string, unknown>): Promise<ChildRecorder> {
  if (!existsSync(DIST)) throw new Error(`${DIST} is missing: run \`npm run build\` first (npm test does)`);
  const child = spawn(process.execPath, [SCRIPT, JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const lines = createInterface({ input: child.stdout! });
  const first = await Promise.race([
    new Promise<string>((resolve) => lines.once('line', resolve)),
    exited.then((code) => {
      throw new Error(`recorder child exited (${code}) before listening: ${stderr}`);
    }),
  ]);
  const info = JSON.parse(first) as { port: number; caCertPath: string; pid: number };
  let later = '';
  lines.on('line', (line) => (later += `${line}\n`));
  return {
    pid: info.pid,
    port: info.port,
    proxyUrl: `http://127.0.0.1:${info.port}`,
    caPem: readFileSync(info.caCertPath, 'utf8'),
    child,
    stderr: () => stderr,
    laterStdout: () => later,
    peakRssBytes: () => {
      const status = readFileSync(`/proc/${info.pid}/status`, 'utf8');
      const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
      if (!kb) throw new Error(`no VmHWM in /proc/${info.pid}/status`);
      return Number(kb) * 1024;
    },
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
