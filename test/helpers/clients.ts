/** Real HTTP clients run as child processes (asynchronously: the recorder may share our event loop). */
import { execFile } from 'node:child_process';

export interface ClientResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

export function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<ClientResult> {
  return new Promise((resolve) => {
    execFile(command, args, { env, encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr: stderr.toString() });
    });
  });
}

/** curl through the proxy; `-sS` so errors still show. */
export function curl(proxyUrl: string, args: string[]): Promise<ClientResult> {
  return run('curl', ['-sS', '--proxy', proxyUrl, ...args]);
}

/** Debian's python3 with python3-requests (a pyenv python3 may come first on PATH). */
export function python(script: string, env: NodeJS.ProcessEnv = {}): Promise<ClientResult> {
  const clean = { ...process.env, ...env };
  delete clean.no_proxy;
  delete clean.NO_PROXY;
  return run('/usr/bin/python3', ['-c', script], clean);
}
