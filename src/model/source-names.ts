/**
 * Naming the sender of a request from what the recorder attributed it to: a dedicated listener's
 * label, the owning process (`/proc/PID/comm` and cmdline), or, as a last resort, the User-Agent.
 * The services a profile knows (OpenStack's `glance-api`) are recognised by its naming.
 */
import type { ParticipantNaming } from './profiles/profile.js';

/** Interpreters and app servers whose comm says nothing about the service they run. */
const RUNNERS = /^(python[0-9.]*|uwsgi|gunicorn|node|java|ruby|perl|php[0-9.]*|sh|bash|dash|apache2|httpd)$/;
/** Linux truncates /proc/PID/comm to 15 characters (TASK_COMM_LEN 16). */
const COMM_LENGTH = 15;

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Shells: a command run through one is a script, whose programs are each their own client. */
const SHELLS = /^(sh|bash|dash|zsh|ksh|ash|busybox)$/;

/** True when argv runs a shell (`sh -c '…'`, `bash script.sh`). */
export function runsShell(argv: string[]): boolean {
  return SHELLS.test(basename(argv[0] ?? ''));
}

/** The script text of `sh -c 'SCRIPT' …` (what the user wrote), or null for anything else. */
export function shellScript(argv: string[]): string | null {
  if (!runsShell(argv)) return null;
  const c = argv.findIndex((a, i) => i > 0 && /^-[a-z]*c[a-z]*$/.test(a));
  return c > 0 && argv[c + 1] !== undefined ? argv[c + 1] ?? null : null;
}

/** The program a client process runs (`curl`; `openstack` for `python3 /usr/bin/openstack`). */
export function programName(comm: string, cmdline: string[]): string {
  if (!RUNNERS.test(comm)) return comm || basename(cmdline[0] ?? '') || 'command';
  const script = cmdline.slice(1).find((a) => !a.startsWith('-'));
  return script ? basename(script) : comm;
}

/** The client's display name for a command: `openstack` → `openstack-client`. */
export function clientNameForCommand(argv0: string): string {
  const base = basename(argv0).replace(/\.(exe|py|js|sh)$/i, '');
  return `${base || 'command'}-client`;
}

type Known = Pick<ParticipantNaming, 'knownProcesses' | 'processForProject'>;

function fromCommandLine(cmdline: string[], { knownProcesses: known, processForProject }: Known): string | null {
  for (const arg of cmdline) {
    const base = basename(arg);
    if (known.includes(base)) return base;
  }
  for (const arg of cmdline) {
    const project = /\/etc\/([a-z][a-z0-9_-]*)\//.exec(arg)?.[1];
    const name = project ? processForProject(project) : null;
    if (name) return name;
  }
  return null;
}

/** A service process's name from its comm and cmdline (`glance-api`, `swift-proxy-server`). */
export function processDisplayName(comm: string, cmdline: string[], naming: Known): string {
  const known = naming.knownProcesses;
  if (known.includes(comm)) return comm;
  const truncated = comm.length === COMM_LENGTH ? known.find((k) => k.startsWith(comm)) : undefined;
  if (truncated) return truncated;
  const fromArgs = fromCommandLine(cmdline, naming);
  if (fromArgs) return fromArgs;
  if (RUNNERS.test(comm)) {
    const script = cmdline.slice(1).find((a) => !a.startsWith('-'));
    if (script) return basename(script);
  }
  return comm || 'unknown';
}

/** A sender's name from its User-Agent: the command's client library → `clientName`; `glance/25.0.1 …` → `glance-api`; else the product name. */
export function userAgentDisplayName(
  userAgent: string,
  clientName: string,
  naming: Pick<ParticipantNaming, 'isCommandClient' | 'processForProject'>,
): string {
  const product = (/^\s*([^\s/]+)/.exec(userAgent)?.[1] ?? '').replace(/-\d+(\.\d+)*$/, '');
  if (naming.isCommandClient(product)) return clientName;
  return naming.processForProject(product) ?? (product || 'unknown');
}
