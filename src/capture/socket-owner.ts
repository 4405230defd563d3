/**
 * Finding the local process at the other end of a TCP connection, from Linux's /proc:
 * the client's port → its line in /proc/net/tcp{,6} → socket inode → the process whose
 * /proc/PID/fd holds `socket:[inode]`. Synchronous on purpose: it runs inside the proxy's
 * request hook, reads small files, and its callers cache the result.
 */
import { isIPv6 } from 'node:net';
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

/** Canonical text of an address: IPv4 dotted (also for v4-mapped IPv6), IPv6 per the URL standard. */
export function canonicalAddress(address: string): string {
  if (!isIPv6(address)) return address;
  const text = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(text);
  if (!mapped?.[1] || !mapped[2]) return text;
  const hi = parseInt(mapped[1], 16);
  const lo = parseInt(mapped[2], 16);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

/** Decodes `0100007F:1F90` (tcp) or a 32-hex-digit tcp6 address: 32-bit words in host byte order. */
export function decodeProcEndpoint(text: string): Endpoint | null {
  const [hex, portHex] = text.split(':');
  if (!hex || !portHex || (hex.length !== 8 && hex.length !== 32)) return null;
  const bytes: number[] = [];
  for (let w = 0; w < hex.length; w += 8) {
    const word = hex.slice(w, w + 8);
    // Little-endian words (x86, arm): the last byte pair comes first on the wire.
    for (let b = 6; b >= 0; b -= 2) bytes.push(parseInt(word.slice(b, b + 2), 16));
  }
  const port = parseInt(portHex, 16);
  if (bytes.length === 4) return { address: bytes.join('.'), port };
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  return { address: canonicalAddress(groups.join(':')), port };
}

function sameEndpoint(a: Endpoint, b: Endpoint): boolean {
  return a.port === b.port && canonicalAddress(a.address) === canonicalAddress(b.address);
}

/**
 * The inode of the socket whose local end is `local` and whose remote port is `remotePort` (the
 * proxy's: its address may be any of ours when it binds a wildcard), or null.
 * Reads /proc/net/tcp and /proc/net/tcp6 of our network namespace.
 */
export function findSocketInode(local: Endpoint, remotePort: number): number | null {
  for (const table of ['net/tcp', 'net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(join('/proc', table), 'latin1');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const l = decodeProcEndpoint(fields[1] ?? '');
      const r = decodeProcEndpoint(fields[2] ?? '');
      const inode = Number(fields[9]);
      if (l && r && inode > 0 && r.port === remotePort && sameEndpoint(l, local)) return inode;
    }
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

function holdsSocket(pid: number, target: string): boolean {
  const fdDir = join('/proc', String(pid), 'fd');
  for (const fd of numericEntries(fdDir)) {
    try {
      if (readlinkSync(join(fdDir, String(fd))) === target) return true;
    } catch {
      // The fd closed (or the process exited) while we looked: not this one.
    }
  }
  return false;
}

/**
 * The pid of a process holding socket `inode`. `likely` pids are tried first (the wrapped command's
 * tree is where most requests come from), then every process, newest first.
 */
export function findSocketOwner(inode: number, likely: number[] = []): number | null {
  const target = `socket:[${inode}]`;
  const all = numericEntries('/proc').sort((a, b) => b - a);
  const order = [...likely.filter((p) => all.includes(p)), ...all.filter((p) => !likely.includes(p))];
  return order.find((pid) => holdsSocket(pid, target)) ?? null;
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
