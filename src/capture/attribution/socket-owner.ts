/**
 * Finding the local process at the other end of a TCP connection, from Linux's /proc:
 * the client's port → its line in /proc/net/tcp{,6} → socket inode → the process whose
 * /proc/PID/fd holds `socket:[inode]`. Synchronous: it runs inside the proxy's request hook.
 * Reading /proc/net/tcp costs milliseconds (the kernel walks its whole connection hash table), so
 * callers look a connection up once (`source.ts` keeps the answer for the connection's requests).
 */
import { isIPv4, isIPv6 } from 'node:net';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

/** One end of a TCP connection. */
export interface Endpoint {
  address: string;
  port: number;
}

/** A process as /proc shows it. */
export interface ProcessInfo {
  pid: number;
  /** /proc/PID/comm, without the newline. */
  comm: string;
  /** /proc/PID/cmdline split at NULs. */
  cmdline: string[];
}

/** 4 bytes for IPv4 text, 16 for IPv6 text (v4-mapped included), null for anything else. */
export function addressBytes(address: string): number[] | null {
  if (isIPv4(address)) return address.split('.').map(Number);
  if (!isIPv6(address)) return null;
  // The URL parser canonicalises (embedded dotted quads become hex groups); then expand `::`.
  const text = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  const [head = '', tail] = text.split('::');
  const groups = (part: string) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const [h, t] = [groups(head), tail === undefined ? [] : groups(tail)];
  const all = [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  return all.flatMap((g) => [g >> 8, g & 255]);
}

/** `/proc/net/tcp{,6}` text of an address: 32-bit words in host (little-endian) byte order. */
export function procAddressHex(bytes: number[]): string {
  let hex = '';
  for (let w = 0; w < bytes.length; w += 4) {
    for (let b = 3; b >= 0; b--) hex += (bytes[w + b] ?? 0).toString(16).padStart(2, '0');
  }
  return hex.toUpperCase();
}

/** Where a socket bound to `endpoint` can appear: its table and its local-address column. */
export function procLocations(endpoint: Endpoint): Array<{ table: string; field: string }> {
  const bytes = addressBytes(endpoint.address);
  if (!bytes) return [];
  const port = endpoint.port.toString(16).toUpperCase().padStart(4, '0');
  const isMapped = bytes.length === 16 && bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 255 && bytes[11] === 255;
  const v4 = bytes.length === 4 ? bytes : isMapped ? bytes.slice(12) : null;
  if (!v4) return [{ table: '/proc/net/tcp6', field: `${procAddressHex(bytes)}:${port}` }];
  // An IPv4 peer is an AF_INET socket (tcp) or a dual-stack AF_INET6 one, v4-mapped (tcp6).
  const mapped = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, ...v4];
  return [
    { table: '/proc/net/tcp', field: `${procAddressHex(v4)}:${port}` },
    { table: '/proc/net/tcp6', field: `${procAddressHex(mapped)}:${port}` },
  ];
}

/** Columns after `sl:` in /proc/net/tcp: local, remote, st, queues, timer, retrnsmt, uid, timeout, inode. */
const INODE_COLUMN = 8;

/** The inode on the line of a table's `text` whose local column is `field` and remote port `remotePort`, or null. */
function searchText(text: string, field: string, remotePort: number): number | null {
  const needle = `: ${field} `;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
    const end = text.indexOf('\n', at);
    const columns = text.slice(at + 2, end < 0 ? undefined : end).trim().split(/\s+/);
    const inode = Number(columns[INODE_COLUMN]);
    // A closed connection's line (TIME_WAIT) has inode 0: not a socket anyone holds.
    if (parseInt(columns[1]?.split(':')[1] ?? '', 16) === remotePort && inode > 0) return inode;
  }
  return null;
}

/**
 * Tables as read in this turn of the event loop. New connections come in bursts (32 clients
 * starting at once) and the kernel walks its whole connection table for each read: one read serves
 * the burst. A connection missing from it (newer than the read) gets a fresh read.
 */
const readThisTurn = new Map<string, string>();

function readTable(table: string): string | null {
  let text: string;
  try {
    text = readFileSync(table, 'latin1');
  } catch {
    return null;
  }
  if (readThisTurn.size === 0) setImmediate(() => readThisTurn.clear());
  readThisTurn.set(table, text);
  return text;
}

function searchTable(table: string, field: string, remotePort: number): number | null {
  const earlier = readThisTurn.get(table);
  const found = earlier === undefined ? null : searchText(earlier, field, remotePort);
  if (found !== null) return found;
  const text = readTable(table);
  return text === null ? null : searchText(text, field, remotePort);
}

/**
 * The inode of the socket whose local end is `local` and whose remote port is `remotePort` (the
 * proxy's: its address may be any of ours when it binds a wildcard), or null.
 */
export function findSocketInode(local: Endpoint, remotePort: number): number | null {
  for (const { table, field } of procLocations(local)) {
    const inode = searchTable(table, field, remotePort);
    if (inode !== null) return inode;
  }
  return null;
}

function numericEntries(dir: string): number[] {
  try {
    return readdirSync(dir).filter((n) => /^\d+$/.test(n)).map(Number);
  } catch {
    return [];
  }
}

/** Where a socket is held: a process and one of its file descriptors. */
export interface SocketHolder {
  pid: number;
  fd: number;
  inode: number;
}

function socketFd(pid: number, target: string): number | null {
  const fdDir = join('/proc', String(pid), 'fd');
  for (const fd of numericEntries(fdDir)) {
    try {
      if (readlinkSync(join(fdDir, String(fd))) === target) return fd;
    } catch {
      // The fd closed (or the process exited) while we looked: not this one.
    }
  }
  return null;
}

/**
 * A process (and fd) holding socket `inode`. `likely` pids are tried first (the wrapped command's
 * tree is where most requests come from), then every process, newest first.
 */
export function findSocketOwner(inode: number, likely: number[] = []): SocketHolder | null {
  const target = `socket:[${inode}]`;
  const tried = new Set<number>();
  const attempt = (pid: number): SocketHolder | null => {
    if (tried.has(pid)) return null;
    tried.add(pid);
    const fd = socketFd(pid, target);
    return fd === null ? null : { pid, fd, inode };
  };
  for (const pid of likely) {
    const found = attempt(pid);
    if (found) return found;
  }
  for (const pid of numericEntries('/proc').sort((a, b) => b - a)) {
    const found = attempt(pid);
    if (found) return found;
  }
  return null;
}

/** Bound on a process tree walk (a fork bomb must not stall the proxy). */
const MAX_TREE = 256;

/** `root` and its descendants, parents before children (from /proc/PID/task/TID/children). */
export function processTree(root: number): number[] {
  const tree = [root];
  for (let i = 0; i < tree.length && tree.length < MAX_TREE; i++) {
    const pid = tree[i] ?? 0;
    for (const tid of numericEntries(`/proc/${pid}/task`)) {
      try {
        const children = readFileSync(`/proc/${pid}/task/${tid}/children`, 'latin1').trim();
        if (children) tree.push(...children.split(' ').map(Number));
      } catch {
        // The task ended while we looked.
      }
    }
  }
  return tree;
}

/** comm and cmdline of `pid`, or null once it has exited. */
export function readProcess(pid: number): ProcessInfo | null {
  try {
    const comm = readFileSync(join('/proc', String(pid), 'comm'), 'utf8').replace(/\n$/, '');
    const raw = readFileSync(join('/proc', String(pid), 'cmdline'), 'utf8');
    const cmdline = raw.split('\0');
    if (cmdline.at(-1) === '') cmdline.pop();
    return { pid, comm, cmdline };
  } catch {
    return null;
  }
}

/** The parent pid of `pid` (PPid in /proc/PID/status), or null. */
export function parentPid(pid: number): number | null {
  try {
    const status = readFileSync(join('/proc', String(pid), 'status'), 'utf8');
    const m = /^PPid:\s*(\d+)/m.exec(status);
    return m?.[1] ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** True when `pid` is `ancestor` or one of its descendants. */
export function isDescendant(pid: number, ancestor: number): boolean {
  let current: number | null = pid;
  for (let hops = 0; current !== null && current > 0 && hops < 1000; hops++) {
    if (current === ancestor) return true;
    current = parentPid(current);
  }
  return false;
}
