/**
 * `flowscribe playbook PLAYBOOK.yaml`: record every step into the site tree, one progress line per
 * step on stdout (`[3/17] image/show … 12 exchanges, 4.1 s, unchanged`), a failed step's stderr on
 * stderr, a summary table at the end; exit 1 when a step failed. `--build` then runs mkdocs.
 */
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { recordDefaults } from '../capture/record-defaults.js';
import { runPlaybook, type PlaybookReporter, type StepReport, type StepResult } from '../publish/playbook-runner.js';
import { checkDocsDir } from '../publish/mkdocs-file.js';
import { shown } from '../publish/playbook-site.js';
import { parseSize } from './flag-values.js';
import type { CommandSpec } from './command.js';
import { runMkdocsBuild } from './mkdocs.js';
import { pageOptions, pageOptionsBuilder, type PageArgs } from './render.js';

interface PlaybookArgs extends PageArgs {
  playbook: string;
  only: string[];
  from?: string;
  resume: boolean;
  'dry-run': boolean;
  'keep-going': boolean;
  captures: string;
  docs: string;
  'mkdocs-config': string;
  'site-name'?: string;
  build: boolean;
  'ca-dir'?: string;
  'body-limit'?: string;
}

function builder(y: Argv): Argv<PlaybookArgs> {
  const own = y
    .positional('playbook', { type: 'string', demandOption: true, describe: 'the playbook (YAML)' })
    .option('only', { type: 'string', array: true, default: [], describe: 'run only these steps (names)' })
    .option('from', { type: 'string', describe: 'run from this step on' })
    .option('resume', { type: 'boolean', default: false, describe: 'skip steps whose capture is newer than the playbook (and passed)' })
    .option('dry-run', { type: 'boolean', default: false, describe: 'print what would run; run and write nothing' })
    .option('keep-going', { type: 'boolean', default: false, describe: 'after a failed step, run the rest' })
    .option('captures', { type: 'string', default: recordDefaults.capturesDir, describe: 'captures directory (the tree goes under it)' })
    .option('docs', { type: 'string', default: 'docs', describe: 'docs directory (the tree goes under it)' })
    .option('mkdocs-config', { type: 'string', default: 'mkdocs.yml', describe: 'mkdocs config to create or update (nav, site_name, theme.language)' })
    .option('site-name', { type: 'string', describe: "site_name (default: the playbook's site_name)" })
    .option('build', { type: 'boolean', default: false, describe: 'then run mkdocs build --strict' })
    .option('ca-dir', { type: 'string', describe: 'directory of the recorder CA (default: ~/.flowscribe/ca)' })
    .option('body-limit', { type: 'string', describe: 'bytes of each body kept in the captures (default: 1MiB)' });
  return pageOptionsBuilder(own) as unknown as Argv<PlaybookArgs>;
}

function seconds(s: number): string {
  return `${s.toFixed(1)} s`;
}

/** `unchanged`, `changed: +3 −1 arrows`, `new`; and whether the page file was touched. */
export function changeText(result: Extract<StepResult, { kind: 'recorded' }>): string {
  const c = result.change;
  const text = c.kind !== 'changed' ? c.kind : `changed: +${c.added} −${c.removed}${c.changed ? ` ~${c.changed}` : ''} arrows`;
  return c.kind === 'unchanged' && result.written ? `${text} (page text updated)` : text;
}

function resultText(result: StepResult): string {
  switch (result.kind) {
    case 'recorded':
      return `${result.exchanges} ${result.exchanges === 1 ? 'exchange' : 'exchanges'}, ${seconds(result.seconds)}, ${changeText(result)}`;
    case 'failed':
      return `FAILED in ${result.phase}: ${result.message}, ${seconds(result.seconds)}`;
    case 'skipped':
      return `skipped: ${result.why}`;
    case 'resumed':
      return 'kept (--resume: its capture is newer than the playbook)';
    case 'not-selected':
      return 'not selected';
    case 'not-run':
      return 'not run (an earlier step failed; --keep-going runs the rest)';
    case 'dry-run':
      return 'would run';
  }
}

function stderrBlock(result: StepResult, cwd: string): string {
  if (result.kind !== 'failed') return '';
  const lines = result.stderr.replace(/\n+$/, '').split('\n').filter((l) => l !== '').slice(-30);
  const out = lines.map((l) => `    | ${l}`);
  if (result.keptCapture) out.push(`    capture of the failed run: ${shown(result.keptCapture, cwd)}`);
  return out.length ? `${out.join('\n')}\n` : '';
}

function reporter(cwd: string): PlaybookReporter {
  return {
    started: (i, n, step) => process.stdout.write(`[${i}/${n}] ${step.page} … `),
    done: ({ index, total, step, result }) => {
      const ran = result.kind === 'recorded' || result.kind === 'failed' || result.kind === 'skipped';
      const head = ran ? '' : `[${index}/${total}] ${step.page} … `;
      process.stdout.write(`${head}${resultText(result)}\n`);
      process.stderr.write(stderrBlock(result, cwd));
    },
    plan: (i, n, step, lines) => process.stdout.write(`[${i}/${n}] ${step.page} (${step.name})\n${lines.map((l) => `    ${l}\n`).join('')}`),
  };
}

/** The summary table: one row per step. */
export function summaryTable(reports: StepReport[]): string {
  const rows = reports.map(({ step, result }) => [
    step.name,
    step.page,
    result.kind,
    result.kind === 'recorded' ? String(result.exchanges) : result.kind === 'failed' && result.exchanges !== null ? String(result.exchanges) : '',
    result.kind === 'recorded' || result.kind === 'failed' ? seconds(result.seconds) : '',
    result.kind === 'recorded' ? changeText(result) : result.kind === 'failed' ? `${result.phase}: ${result.message}` : '',
  ]);
  const all = [['step', 'page', 'result', 'exchanges', 'time', 'change'], ...rows];
  const widths = all[0]?.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length))) ?? [];
  return all.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c] ?? 0))).join('  ').trimEnd()).join('\n') + '\n';
}

async function run(args: PlaybookArgs): Promise<number> {
  const cwd = process.cwd();
  if (!args['dry-run']) checkDocsDir(args['mkdocs-config'], args.docs);
  const outcome = await runPlaybook({
    playbookPath: args.playbook,
    cwd,
    env: process.env,
    layout: { capturesDir: resolve(cwd, args.captures), docsDir: resolve(cwd, args.docs), mkdocsConfig: resolve(cwd, args['mkdocs-config']) },
    only: args.only.map(String),
    from: args.from ?? null,
    resume: args.resume,
    dryRun: args['dry-run'],
    keepGoing: args['keep-going'],
    recorder: {
      host: recordDefaults.host,
      caDir: resolve(cwd, args['ca-dir'] ?? recordDefaults.caDir),
      bodyLimitBytes: args['body-limit'] === undefined ? recordDefaults.bodyLimitBytes : parseSize('--body-limit', args['body-limit']),
      bodiesDir: null,
    },
    page: pageOptions(args),
    siteName: args['site-name'] ?? null,
    reporter: reporter(cwd),
  });
  if (args['dry-run']) return 0;
  process.stdout.write(`\n${summaryTable(outcome.reports)}`);
  const failed = outcome.reports.filter((r) => r.result.kind === 'failed').length;
  const recorded = outcome.reports.filter((r) => r.result.kind === 'recorded').length;
  process.stdout.write(`playbook: ${recorded} recorded, ${failed} failed → ${args.docs}/${outcome.playbook.tree}/, nav in ${args['mkdocs-config']}\n`);
  if (failed > 0) return 1;
  if (!args.build) return 0;
  await runMkdocsBuild(args['mkdocs-config']);
  process.stdout.write('playbook: mkdocs build --strict passed\n');
  return 0;
}

export const playbookCommand: CommandSpec<PlaybookArgs> = { builder, run };
