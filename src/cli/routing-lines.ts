/**
 * The lines that route another process through a recorder listener: shell `export`s and systemd
 * `Environment=` lines, the same variables `record` sets for its command.
 */
import { CA_BUNDLE_VARIABLES, NO_PROXY_VARIABLES, PROXY_VARIABLES, proxyUrl } from '../capture/command/environment.js';
import { interfaceAddresses, isLoopback, localAddress } from '../capture/proxy/listen-address.js';
import type { Listener } from '../model/exchange.js';
import { DEFAULT_LISTENER } from '../model/exchange.js';

/** The warning for `--host` values other machines can reach, or null for loopback ones. */
export function exposureWarning(host: string): string | null {
  if (isLoopback(host)) return null;
  return (
    `flowscribe: warning: --host ${host} is not a loopback address: anyone who can reach it can use flowscribe ` +
    'as a relay, also into services that listen only on loopback here (use --host 127.0.0.1 unless other machines must route through it)'
  );
}

function assignments(listener: Listener, caBundlePath: string): string[] {
  const url = proxyUrl(localAddress(listener.host), listener.port);
  return [...PROXY_VARIABLES.map((v) => `${v}=${url}`), ...CA_BUNDLE_VARIABLES.map((v) => `${v}=${caBundlePath}`)];
}

/** Shell lines for a process started from a shell. */
export function shellLines(listener: Listener, caBundlePath: string): string[] {
  return [...assignments(listener, caBundlePath).map((a) => `export ${a}`), `unset ${NO_PROXY_VARIABLES.join(' ')}`];
}

/** Lines for a systemd unit's `[Service]` section (`systemctl edit UNIT`). */
export function systemdLines(listener: Listener, caBundlePath: string): string[] {
  return [...assignments(listener, caBundlePath).map((a) => `Environment="${a}"`), `UnsetEnvironment=${NO_PROXY_VARIABLES.join(' ')}`];
}

/** For a wildcard bind, how other machines reach the listener (the lines below use loopback). */
function remoteNote(listener: Listener, caBundlePath: string): string[] {
  if (localAddress(listener.host) === listener.host) return [];
  const addresses = interfaceAddresses(listener.host);
  const instead = addresses.length ? `one of ${addresses.join(', ')}` : 'an address of this machine (none found)';
  return [`# from another machine: use ${instead} instead of ${localAddress(listener.host)}, and a copy of ${caBundlePath}`];
}

/** A block of instructions for one listener, as comments plus lines to copy. */
export function routingBlock(listener: Listener, caBundlePath: string): string[] {
  const who = listener.label === DEFAULT_LISTENER ? 'a process' : `${listener.label}`;
  const where = `${listener.host}:${listener.port}`;
  return [
    `# route ${who} through flowscribe (listener ${listener.label} on ${where}); in its shell:`,
    ...shellLines(listener, caBundlePath),
    `# or in its systemd unit, under [Service]:`,
    ...systemdLines(listener, caBundlePath),
    ...remoteNote(listener, caBundlePath),
  ];
}
