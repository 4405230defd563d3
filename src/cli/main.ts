/**
 * The yargs root: a table of commands, each in its own module, loaded only when named (so
 * `--help` and `--version` load no proxy, schema or templates). The only place that prints
 * errors and sets the exit code.
 */
import type { Argv } from 'yargs';
import { UserError } from '../errors.js';
import { flowscribeVersion } from '../version.js';
import { importPackage } from '../packages.js';
import type { CommandSpec } from './command.js';

/** Registers a loaded command, its `run` result becoming the exit code. */
type Registration = (y: Argv<object>, head: { command: string; describe: string }, exit: (code: number) => void) => Argv<object>;

function registration<A>(spec: CommandSpec<A>): Registration {
  return (y, head, exit) =>
    y.command({ ...head, builder: spec.builder, handler: async (args) => exit(await spec.run(args)) }) as Argv<object>;
}

const COMMANDS: Record<string, { command: string; describe: string; load: () => Promise<Registration> }> = {
  record: {
    // `words` only catches a command given without `--`, to say where it belongs.
    command: 'record [words..]',
    describe: 'run a command and record its HTTP(S) traffic (put the command after --)',
    load: async () => registration((await import('./record.js')).recordCommand),
  },
  proxy: {
    command: 'proxy',
    describe: 'record what other processes send through it (prints the lines that route them), until SIGINT/SIGTERM',
    load: async () => registration((await import('./proxy.js')).proxyCommand),
  },
  ca: {
    command: 'ca',
    describe: "print the path of the recorder's CA certificate (created on first use)",
    load: async () => registration((await import('./ca.js')).caCommand),
  },
  render: {
    command: 'render <capture>',
    describe: 'render a capture into a mkdocs-material page with a mermaid sequence diagram',
    load: async () => registration((await import('./render.js')).renderCommand),
  },
  site: {
    command: 'site [captures..]',
    describe: 'render captures into an mkdocs-material docs site (default: all of captures/*.jsonl)',
    load: async () => registration((await import('./site.js')).siteCommand),
  },
  playbook: {
    command: 'playbook <playbook>',
    describe: 'record a playbook of commands into a docs site tree (pages, indexes, mkdocs nav)',
    load: async () => registration((await import('./playbook.js')).playbookCommand),
  },
  diff: {
    command: 'diff <a> <b>',
    describe: 'compare two captures arrow by arrow (exit 0 same, 1 different, 2 error)',
    load: async () => registration((await import('./diff.js')).diffCommand),
  },
  export: {
    command: 'export <capture>',
    describe: 'export a capture as HAR 1.2 or as an OpenTelemetry (OTLP/JSON) trace',
    load: async () => registration((await import('./export.js')).exportCommand),
  },
  import: {
    command: 'import <file>',
    describe: 'convert a HAR 1.2 file (browser devtools, mitmproxy, HTTP Toolkit, ...) into a capture',
    load: async () => registration((await import('./import.js')).importCommand),
  },
  merge: {
    command: 'merge <captures..>',
    describe: 'merge the captures of several recorders into one capture (one timeline by wall time)',
    load: async () => registration((await import('./merge.js')).mergeCommand),
  },
};

function report(err: unknown, debug: boolean): number {
  if (err instanceof UserError) {
    process.stderr.write(`flowscribe: ${err.message}\n`);
    if (err.hint) process.stderr.write(`  hint: ${err.hint}\n`);
    if (debug && err.stack) process.stderr.write(`${err.stack}\n`);
    return err.exitCode;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  process.stderr.write(`flowscribe: internal error: ${e.message} (--debug for the stack)\n`);
  if (debug && e.stack) process.stderr.write(`${e.stack}\n`);
  return 1;
}

/** Positionals and the words after `--` stay as typed (`-- echo 1.50` must not become `echo 1.5`). */
export const PARSER_CONFIGURATION = { 'populate--': true, 'parse-positional-numbers': false } as const;

/** The root parser: the named command loaded, the others listed by name and description only. */
async function parser(args: string[], exit: (code: number) => void): Promise<Argv<object>> {
  const named = args.find((a) => !a.startsWith('-'));
  const { default: yargs } = await importPackage<typeof import('yargs')>('yargs');
  let y: Argv<object> = yargs(args)
    .scriptName('flowscribe')
    .parserConfiguration(PARSER_CONFIGURATION)
    .option('debug', { type: 'boolean', describe: 'print stack traces of errors', global: true });
  for (const [name, { load, ...head }] of Object.entries(COMMANDS)) {
    y = name === named ? (await load())(y, head, exit) : y.command(head.command, head.describe);
  }
  return y;
}

/** `a, b or c` */
function listed(names: string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

/** If a command's work ever stops without settling (nothing left to wait for), that is no success. */
function guardUnfinished(): () => void {
  const onBeforeExit = () => {
    process.stderr.write('flowscribe: internal error: stopped before the command finished (a bug: please report it)\n');
    process.exitCode = 1;
  };
  process.once('beforeExit', onBeforeExit);
  return () => process.off('beforeExit', onBeforeExit);
}

const WIDTH = 80;

/** `text` broken into lines of at most `width` characters, at spaces. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

/**
 * `flowscribe --help`, laid out as yargs lays out its own, from the command table: loading yargs
 * alone costs more than the 0.15 s a user waits for a usage text.
 */
export function rootHelp(): string {
  const rows = Object.values(COMMANDS).map((c) => [`flowscribe ${c.command}`, c.describe] as const);
  const options = [['--debug', 'print stack traces of errors'], ['--help', 'Show help'], ['--version', 'Show version number']] as const;
  const left = Math.max(...rows.map(([l]) => l.length)) + 4;
  const table = (entries: ReadonlyArray<readonly [string, string]>): string[] =>
    entries.flatMap(([name, text]) => wrap(text, WIDTH - left).map((t, i) => `  ${(i === 0 ? name : '').padEnd(left - 2)}${t}`));
  return ['flowscribe <command>', '', 'Commands:', ...table(rows), '', 'Options:', ...table(options), ''].join('\n');
}

export async function main(args: string[]): Promise<void> {
  // The most frequent probes of an install, answered without loading the argument parser.
  if (args.length === 1 && args[0] === '--version') {
    process.stdout.write(`${flowscribeVersion()}\n`);
    return;
  }
  if (args.length === 1 && (args[0] === '--help' || args[0] === '-h')) {
    process.stdout.write(rootHelp());
    return;
  }
  const debug = args.includes('--debug');
  const finished = guardUnfinished();
  let code = 0;
  try {
    // `record`'s, `proxy`'s and `render`'s plain forms skip yargs: its load is a third of a
    // recorder's start, with the help text it lays out more than rendering a small capture takes,
    // and it leaves a `proxy`, which runs for hours, 10 MB more resident (issue 13).
    const quickRecorder = args[0] === 'record' || args[0] === 'proxy' ? await import('./quick-record.js') : null;
    const quick = quickRecorder?.quickRecordArgs(args) ?? null;
    const quickProxy = quickRecorder?.quickProxyArgs(args) ?? null;
    const quickRender = args[0] === 'render' ? (await import('./quick-render.js')).quickRenderArgs(args) : null;
    if (quick) code = await (await import('./record.js')).recordCommand.run(quick);
    else if (quickProxy) code = await (await import('./proxy.js')).proxyCommand.run(quickProxy);
    else if (quickRender) code = await (await import('./render.js')).renderCommand.run(quickRender);
    else await parseAndRun(args, (c) => {
      code = c;
    });
  } catch (err) {
    code = report(err, debug);
  }
  finished();
  process.exitCode = code;
}

/** The yargs path: every command and form, usage errors, `--help` of a command. */
async function parseAndRun(args: string[], exit: (code: number) => void): Promise<void> {
  const y = await parser(args, exit);
  await y
    .demandCommand(1, `name a command: ${listed(Object.keys(COMMANDS))}`)
    .strict()
    .help()
    .version(flowscribeVersion())
    .fail((msg: string | undefined, err: Error | undefined) => {
      // One line, as every usage error: the pointer to --help goes on the same line.
      // yargs passes a string returned by .check() as `err`: only a real Error is rethrown as is.
      // yargs words a bad choice over two lines ("Invalid values:\n  Argument: …"): join them.
      const line = (msg ?? 'invalid arguments').replace(/\s*\n\s*/g, ' ');
      throw err instanceof Error ? err : new UserError(`${line} (see flowscribe --help)`, 2);
    })
    .parseAsync();
}
