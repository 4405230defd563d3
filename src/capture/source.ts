/**
 * Who sent a request: the label of a dedicated listener, else the local process owning the
 * client's socket (with whether it belongs to the wrapped command's process tree), else the
 * User-Agent, else unknown. Runs for every request, so lookups are cached per socket inode.
 */
import type { Source } from '../model/exchange.js';
import type { ConnectionInfo, SourceResolver } from './recorder-types.js';
import { findSocketInode, findSocketOwner, isDescendant, readProcess, type ProcessInfo } from './socket-owner.js';

/** The label of the main listener; requests on it are attributed by process. */
const DEFAULT_LISTENER = 'default';

/** Bound on the caches: a long `flowscribe proxy` run sees many short connections. */
const CACHE_LIMIT = 1024;

/** Owners of recent sockets, tried first (a client usually opens several connections). */
const RECENT_OWNERS = 8;

export interface SourceResolverOptions {
  /** The wrapped command's pid once it runs; null before it starts and in proxy mode. */
  clientPid: () => number | null;
}

function remember<K, V>(cache: Map<K, V>, key: K, value: V): V {
  if (cache.size >= CACHE_LIMIT) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  cache.set(key, value);
  return value;
}

/** A resolver for `RecorderOptions.resolveSource`. */
export function createSourceResolver(options: SourceResolverOptions): SourceResolver {
  // Per socket inode, decided once: a process orphaned later (re-parented to init) stays the client.
  const byInode = new Map<number, Source | null>();
  const recentOwners: number[] = [];

  function owner(clientPid: number | null, inode: number): ProcessInfo | null {
    const likely = clientPid === null ? recentOwners : [clientPid, ...recentOwners];
    const pid = findSocketOwner(inode, likely);
    const info = pid === null ? null : readProcess(pid);
    if (info && !recentOwners.includes(info.pid)) {
      recentOwners.unshift(info.pid);
      recentOwners.length = Math.min(recentOwners.length, RECENT_OWNERS);
    }
    return info;
  }

  function byProcess(connection: ConnectionInfo): Source | null {
    const local = { address: connection.remoteAddress, port: connection.remotePort };
    const inode = findSocketInode(local, connection.localPort);
    if (inode === null) return null;
    if (byInode.has(inode)) return byInode.get(inode) ?? null;
    const clientPid = options.clientPid();
    const info = owner(clientPid, inode);
    const source: Source | null = info && {
      kind: 'process',
      isClient: clientPid !== null && isDescendant(info.pid, clientPid),
      pid: info.pid,
      comm: info.comm,
      cmdline: info.cmdline,
    };
    return remember(byInode, inode, source);
  }

  return (connection) => {
    if (connection.listenerLabel !== DEFAULT_LISTENER) return { kind: 'listener', label: connection.listenerLabel };
    const process = byProcess(connection);
    if (process) return process;
    if (connection.userAgent) return { kind: 'user-agent', userAgent: connection.userAgent };
    return { kind: 'unknown' };
  };
}
