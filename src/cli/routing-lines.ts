/**
 * The lines that route another process through a recorder listener: shell `export`s and systemd
 * `Environment=` lines, the same variables `record` sets for its command.
 */
import { CA_BUNDLE_VARIABLES, NO_PROXY_VARIABLES, PROXY_VARIABLES, proxyUrl } from '../capture/environment.js';
import type { Listener } from '../model/exchange.js';

function assignments(listener: Listener, caBundlePath: string): string[] {
  const url = proxyUrl(listener.host, listener.port);
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

/** A block of instructions for one listener, as comments plus lines to copy. */
export function routingBlock(listener: Listener, caBundlePath: string): string[] {
  const who = listener.label === 'default' ? 'a process' : `${listener.label}`;
  const where = `${listener.host}:${listener.port}`;
  return [
    `# route ${who} through flowscribe (listener ${listener.label} on ${where}); in its shell:`,
    ...shellLines(listener, caBundlePath),
    `# or in its systemd unit, under [Service]:`,
    ...systemdLines(listener, caBundlePath),
  ];
}
