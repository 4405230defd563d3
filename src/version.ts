/** flowscribe's version, from its package.json (one home for the CLI's `--version` and the capture header). */
import { readFileSync } from 'node:fs';

export function flowscribeVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
