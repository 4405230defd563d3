// What bin/flowscribe's first line (the sh part) gives node at start, read from that line so the
// benches' floor proxies run under the recorder's own settings and never drift from them.
import { readFileSync } from 'node:fs';

const launcherLine = (repo) => readFileSync(`${repo}/bin/flowscribe`, 'utf8').split('\n', 2)[1] ?? '';

/** The glibc malloc variables the launcher sets for every command (`{ MALLOC_ARENA_MAX: '1', ... }`). */
export function launcherMalloc(repo) {
  return Object.fromEntries([...launcherLine(repo).matchAll(/ (MALLOC_\w+)=(\S+)/g)].map((m) => [m[1], m[2]]));
}

/** The V8 flags the launcher gives `flowscribe proxy` (none for `record`). */
export function launcherProxyFlags(repo) {
  return /proxy\) set -- (.*?) "\$0"/.exec(launcherLine(repo))?.[1].split(' ') ?? [];
}
