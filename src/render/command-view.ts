/**
 * The recorded command as the page shows it: the title (`openstack image create`), the `bash` block
 * with one option per continuation line, and the optional `.vscode/launch.json` configuration.
 */

/** Leading words before the first option: the command's name (`openstack image create`). */
export function commandName(argv: string[]): string[] {
  const firstOption = argv.findIndex((a) => a.startsWith('-'));
  return firstOption < 0 ? argv : argv.slice(0, firstOption);
}

/**
 * The arguments after the command's name, grouped one per line: an option with its value, or a lone
 * word. An option takes the next word as its value unless that word is the last argument (the
 * usual place of a positional, as in `--public NAME`): argv alone cannot tell flags from options.
 */
export function argumentGroups(argv: string[]): string[][] {
  const rest = argv.slice(commandName(argv).length);
  const groups: string[][] = [];
  for (let i = 0; i < rest.length; i += 1) {
    const arg = rest[i] ?? '';
    const next = rest[i + 1];
    const takesValue = arg.startsWith('-') && !arg.includes('=') && next !== undefined && !next.startsWith('-');
    if (takesValue && i + 1 < rest.length - 1) {
      groups.push([arg, next]);
      i += 1;
    } else groups.push([arg]);
  }
  return groups;
}

/** A word as a POSIX shell would need it (single-quoted when it holds anything special). */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `$ openstack image create \` followed by indented continuation lines. */
export function commandLines(argv: string[]): string {
  const lines = [commandName(argv), ...argumentGroups(argv)].map((g) => g.map(shellQuote).join(' '));
  return lines.map((line, i) => `${i === 0 ? '$ ' : '  '}${line}${i < lines.length - 1 ? ' \\' : ''}`).join('\n');
}

/** The command on one line (the Output block's title). */
export function commandLine(argv: string[]): string {
  return argv.map(shellQuote).join(' ');
}

/**
 * `.vscode/launch.json` for running the command under VS Code's Python debugger (as the reference
 * page does for `openstack`): a whole, valid file, serialised by JSON.stringify. The program is
 * the path argv[0] resolved to at record time; older captures only know the name.
 */
export function launchJson(argv: string[], environment: Record<string, string>, executable?: string): string {
  const env = Object.fromEntries(Object.entries(environment).filter(([name]) => name.startsWith('OS_')));
  const configuration = {
    name: `Python: ${commandName(argv).join(' ')}`,
    type: 'debugpy',
    request: 'launch',
    program: executable ?? argv[0] ?? '',
    args: argv.slice(1),
    env,
    console: 'integratedTerminal',
    justMyCode: false,
  };
  return JSON.stringify({ version: '0.2.0', configurations: [configuration] }, null, 4);
}
