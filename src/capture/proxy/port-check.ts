/**
 * Checks, before anything starts, that every requested listener port can be bound, so "port in
 * use" is a clear error naming the port rather than a crash once the command is running.
 */
import { createServer } from 'node:net';
import { UserError } from '../../errors.js';
import { DEFAULT_LISTENER } from '../../model/exchange.js';

function tryBind(host: string, port: number): Promise<NodeJS.ErrnoException | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(null)));
  });
}

/** `--host` itself must be an address of this machine (EADDRNOTAVAIL) that we may bind. */
async function checkHost(host: string): Promise<void> {
  const err = await tryBind(host, 0);
  if (!err) return;
  const why = err.code === 'EADDRNOTAVAIL' ? 'not an address of this machine' : err.code === 'ENOTFOUND' ? 'unknown host name' : (err.code ?? err.message);
  throw new UserError(`--host ${host}: cannot listen (${why})`, 1, 'use 127.0.0.1, or an address this machine has (ip -brief address)');
}

/** Throws a UserError for a bad host, a duplicate label or port, or a port that cannot be bound on `host`. */
export async function checkListenersFree(host: string, listeners: Array<{ label: string; port: number }>): Promise<void> {
  await checkHost(host);
  const labels = new Set<string>();
  const ports = new Set<number>();
  for (const { label, port } of listeners) {
    if (labels.has(label)) throw new UserError(`--listen ${label}: the label is used twice`, 2);
    labels.add(label);
    if (port === 0) continue;
    if (ports.has(port)) throw new UserError(`port ${port} is given to two listeners`, 2);
    ports.add(port);
    const err = await tryBind(host, port);
    const flag = label === DEFAULT_LISTENER ? `--port ${port}` : `--listen ${label}=${port}`;
    if (err?.code === 'EADDRINUSE') throw new UserError(`${flag}: already in use on ${host}`, 1, 'choose another port, or 0 for any free one');
    if (err) throw new UserError(`${flag}: cannot listen on ${host} (${err.code ?? err.message})`);
  }
}
