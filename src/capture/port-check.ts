/**
 * Checks, before anything starts, that every requested listener port can be bound, so "port in
 * use" is a clear error naming the port rather than a crash once the command is running.
 */
import { createServer } from 'node:net';
import { UserError } from '../errors.js';

function tryBind(host: string, port: number): Promise<NodeJS.ErrnoException | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(null)));
  });
}

/** Throws a UserError for a duplicate label or port, or a port that cannot be bound on `host`. */
export async function checkListenersFree(host: string, listeners: Array<{ label: string; port: number }>): Promise<void> {
  const labels = new Set<string>();
  const ports = new Set<number>();
  for (const { label, port } of listeners) {
    if (labels.has(label)) throw new UserError(`--listen ${label}: the label is used twice`, 2);
    labels.add(label);
    if (port === 0) continue;
    if (ports.has(port)) throw new UserError(`port ${port} is given to two listeners`, 2);
    ports.add(port);
    const err = await tryBind(host, port);
    const which = label === 'default' ? '' : `listener ${label}: `;
    if (err?.code === 'EADDRINUSE') throw new UserError(`${which}port ${port} on ${host} is already in use`, 1, 'choose another port, or 0 for any free one');
    if (err) throw new UserError(`${which}cannot listen on ${host}:${port} (${err.code ?? err.message})`);
  }
}
