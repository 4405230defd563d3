/**
 * Who sent a request: the label of a dedicated listener, else the local process owning the
 * client's socket (with whether it belongs to the wrapped command's process tree), else the
 * User-Agent, else unknown. Runs for every request. A connection is looked up in /proc at its first
 * request and its process kept for the requests that follow on it (a keep-alive connection, a
 * CONNECT tunnel): a socket changes owner only when one process hands it to another and closes its
 * own descriptor, and the lookup is the recorder's costliest step per connection. Checking the owner
 * again at every request (one readlink in /proc) was 4% of the recorder's CPU with 32 clients.
 */
import { networkInterfaces } from 'node:os';
import type { Source } from '../../model/exchange.js';
import { DEFAULT_LISTENER } from '../../model/exchange.js';
import { maskArgv } from '../../model/redact-argv.js';
import { MASK_ALL } from '../../model/redact-policy.js';
import type { ConnectionInfo, SourceResolver } from '../recorder-types.js';
import { addressBytes, findSocketInode, findSocketOwner, isDescendant, processTree, readProcess } from './socket-owner.js';

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
  // Keyed by the connection itself: an entry goes with its socket, and a new connection that reuses
  // a closed one's ports is looked up afresh.
  const byConnection = new WeakMap<object, ProcessSource>();
  const recentOwners: number[] = [];
  let local: Set<string> | null = null;

  function lookUp(connection: ConnectionInfo): ProcessSource | null {
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
    return { kind: 'process', isClient, pid: info.pid, comm: info.comm, cmdline };
  }

  function byProcess(connection: ConnectionInfo): ProcessSource | null {
    const known = byConnection.get(connection.identity);
    if (known) return known;
    // Not found (not a local peer, or its process already gone) is not kept: the next request tries again.
    const found = lookUp(connection);
    if (found) byConnection.set(connection.identity, found);
    return found;
  }

  return (connection) => {
    if (connection.listenerLabel !== DEFAULT_LISTENER) return { kind: 'listener', label: connection.listenerLabel };
    const process = byProcess(connection);
    if (process) return process;
    if (connection.userAgent) return { kind: 'user-agent', userAgent: connection.userAgent };
    return { kind: 'unknown' };
  };
}
