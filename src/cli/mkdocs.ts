/**
 * Runs `mkdocs build --strict` for `flowscribe site --build`. mkdocs comes from Debian (mkdocs,
 * mkdocs-material, python3-pymdownx); each way it can be missing becomes a one-line error naming
 * the package to install, and a strict-mode failure names mkdocs' first warning.
 */
import { spawn } from 'node:child_process';
import { basename, dirname, resolve } from 'node:path';
import { UserError } from '../errors.js';

const INSTALL_HINT = 'apt-get install mkdocs mkdocs-material python3-pymdownx';

/** Builds the site described by configPath (run from its directory, where snippet paths resolve). */
export async function runMkdocsBuild(configPath: string, mkdocsBin = 'mkdocs'): Promise<void> {
  const config = resolve(configPath);
  const { code, stderr, spawnError } = await run(mkdocsBin, ['build', '--strict', '--config-file', basename(config)], dirname(config));
  if (spawnError === 'ENOENT') {
    throw new UserError(`site --build: ${mkdocsBin} not found; install the Debian packages mkdocs and mkdocs-material`, 1, INSTALL_HINT);
  }
  if (spawnError) throw new UserError(`site --build: cannot run ${mkdocsBin} (${spawnError})`);
  if (code !== 0) throw describeFailure(stderr, configPath);
}

/** The most useful line of a failed build's stderr, turned into a UserError. */
export function describeFailure(stderr: string, configPath: string): UserError {
  if (/Unrecognised theme name: 'material'/.test(stderr)) {
    return new UserError('site --build: the mkdocs theme material is missing; install the Debian package mkdocs-material', 1, INSTALL_HINT);
  }
  if (/(No module named|Failed to load extension) '?pymdownx/.test(stderr)) {
    return new UserError('site --build: pymdownx is missing; install the Debian package python3-pymdownx', 1, INSTALL_HINT);
  }
  // mkdocs colours its level names when it thinks it has a terminal.
  const lines = stderr.replace(/\x1b\[[0-9;]*m/g, '').split('\n').map((l) => l.trim());
  const first = lines.find((l) => /^(WARNING|ERROR)\b/.test(l)) ?? lines.find((l) => /^(Error|Aborted)/.test(l)) ?? lines.filter(Boolean).pop();
  return new UserError(`site --build: mkdocs build --strict failed for ${configPath}: ${(first ?? 'no output').replace(/\s+/g, ' ')}`);
}

function run(cmd: string, args: string[], cwd: string): Promise<{ code: number | null; stderr: string; spawnError: string | null }> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (err: NodeJS.ErrnoException) => done({ code: null, stderr, spawnError: err.code ?? err.message }));
    child.on('close', (code) => done({ code, stderr, spawnError: null }));
  });
}
