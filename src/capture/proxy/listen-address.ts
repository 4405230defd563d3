/**
 * Which addresses reach a listener: a wildcard bind (0.0.0.0, ::) is reached through loopback from
 * this machine and through the interface addresses from others; a loopback bind from nowhere else.
 */
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

const WILDCARDS: Record<string, string> = { '0.0.0.0': '127.0.0.1', '::': '::1' };

/** Whether only processes on this machine can connect to `host` (127.0.0.0/8, ::1, localhost). */
export function isLoopback(host: string): boolean {
  const bare = host.toLowerCase().replace(/^::ffff:/, '');
  if (bare === 'localhost' || bare === '::1') return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}

/** The address a process on this machine connects to for a listener bound to `host`. */
export function localAddress(host: string): string {
  return WILDCARDS[host] ?? host;
}

/** For a wildcard bind: this machine's non-loopback addresses, the ones other machines may use. */
export function interfaceAddresses(host: string): string[] {
  if (!(host in WILDCARDS)) return [];
  const addresses = Object.values(networkInterfaces()).flatMap((list) => list ?? []);
  // Link-local IPv6 addresses need a zone id in URLs: of no use in a proxy variable.
  return addresses
    .filter((a) => !a.internal && (host === '::' || a.family === 'IPv4') && !a.address.startsWith('fe80:'))
    .map((a) => a.address);
}
