/**
 * Who sent a request: the label of a dedicated listener, else the local process owning the
 * client's socket (with whether it belongs to the wrapped command's process tree), else the
 * User-Agent, else unknown. Runs for every request: a connection is looked up in /proc once,
 * later requests on it only check that the same process still holds the same socket.
 */
import { networkInterfaces } from 'node:os';
import type { Source } from '../../model/exchange.js';
import { DEFAULT_LISTENER } from '../../model/exchange.js';
import { maskArgv } from '../../model/redact-argv.js';
import { MASK_ALL } from '../../model/redact-policy.js';
import type { ConnectionInfo, SourceResolver } from '../recorder-types.js';
import {
  addressBytes,
  findSocketInode,
  findSocketOwner,
  isDescendant,
  processTree,
  readProcess,
  stillHolds,
  type SocketHolder,
} from './socket-owner.js';

/** The label of the main listener; requests on it are attributed by process. */

/** Bound on the cache: a long `flowscribe proxy` run sees many short connections. */
const CACHE_LIMIT = 4096;

/** Owners of recent sockets, tried first (a client usually opens several connections). */
const RECENT_OWNERS = 8;

export interface SourceResolverOptions {
  /** The wrapped command's pid once it runs; null before it starts and in proxy mode. */
  clientPid: () => number | null;
}

type ProcessSource = Extract<Source, { kind: 'process' }>;

/** Addresses of this host: only their peers can be found in /proc. */
function localAddresses(): Set<string> {
  const out = new Set<string>(['::1']);
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) out.add(a.address);
  return out;
}

function isLocal(address: string, local: Set<string>): boolean {
  const bytes = addressBytes(address);
  if (bytes?.length === 4 && bytes[0] === 127) return true;
  if (bytes?.length === 16 && bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 255 && bytes[11] === 255) {
    return bytes[12] === 127 || local.has(bytes.slice(12).join('.'));
  }
  return local.has(address);
}

/** A resolver for `RecorderOptions.resolveSource`. */
export function createSourceResolver(options: SourceResolverOptions): SourceResolver {
  const byConnection = new Map<string, { holder: SocketHolder; source: ProcessSource }>();
  const recentOwners: number[] = [];
  let local: Set<string> | null = null;

  function lookUp(connection: ConnectionInfo): { holder: SocketHolder; source: ProcessSource } | null {
    local ??= localAddresses();
    if (!isLocal(connection.remoteAddress, local)) return null;
    const inode = findSocketInode({ address: connection.remoteAddress, port: connection.remotePort }, connection.localPort);
    if (inode === null) return null;
    const clientPid = options.clientPid();
    const holder = findSocketOwner(inode, clientPid === null ? recentOwners : [...processTree(clientPid), ...recentOwners]);
    const info = holder && readProcess(holder.pid);
    if (!holder || !info) return null;
    if (!recentOwners.includes(info.pid)) recentOwners.unshift(info.pid);
    recentOwners.length = Math.min(recentOwners.length, RECENT_OWNERS);
    // Decided once per connection: a process orphaned later (re-parented to init) stays the client.
    const isClient = clientPid !== null && isDescendant(info.pid, clientPid);
    // Credentials on a process's command line (`--os-password X`) are masked before they reach the capture.
    const cmdline = maskArgv(info.cmdline, MASK_ALL);
    return { holder, source: { kind: 'process', isClient, pid: info.pid, comm: info.comm, cmdline } };
  }

  function byProcess(connection: ConnectionInfo): ProcessSource | null {
    const key = `${connection.remoteAddress}|${connection.remotePort}|${connection.localPort}`;
    const known = byConnection.get(key);
    if (known && stillHolds(known.holder)) return known.source;
    const found = lookUp(connection);
    if (!found) return null;
    if (byConnection.size >= CACHE_LIMIT) byConnection.delete(byConnection.keys().next().value ?? '');
    byConnection.set(key, found);
    return found.source;
  }

  return (connection) => {
    if (connection.listenerLabel !== DEFAULT_LISTENER) return { kind: 'listener', label: connection.listenerLabel };
    const process = byProcess(connection);
    if (process) return process;
    if (connection.userAgent) return { kind: 'user-agent', userAgent: connection.userAgent };
    return { kind: 'unknown' };
  };
}
