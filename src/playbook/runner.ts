/**
 * `flowscribe playbook`: read the playbook, choose the steps (`--only`, `--from`, `--resume`), run
 * each (playbook-step.ts), publish its page with the change report, then the tree's indexes and
 * mkdocs.yml. Steps that do not run still lend their saved values from their last capture, so
 * `--only image-show` finds the `${image_id}` the last `image create` printed.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { RecorderSettings } from '../capture/record-session.js';
import { UserError } from '../errors.js';
import { readCapture } from '../model/capture.js';
import type { FlowscribeConfig } from '../model/config.js';
import type { Capture } from '../model/exchange.js';
import { parsePlaybook, type Playbook, type PlaybookStep } from '../model/playbook.js';
import { commandText } from '../model/playbook-command.js';
import { expandTemplate, MissingVariable } from '../model/playbook-template.js';
import { saveValue } from '../model/saved-values.js';
import { defaultConfig } from '../model/config.js';
import { exitCodeOf } from '../capture/command/wrap-command.js';
import { runStep, stdoutText, type StepOutcome } from './step.js';
import { capturePathOf, checkTreeIsOurs, comparePages, publishPage, publishTree, treePage, type PageChange, type SiteLayout, type TreePageOptions } from '../publish/playbook-site.js';
import { PlaybookValues } from './vars.js';

export interface PlaybookRunOptions {
  playbookPath: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  layout: SiteLayout;
  only: string[];
  from: string | null;
  resume: boolean;
  dryRun: boolean;
  keepGoing: boolean;
  recorder: Omit<RecorderSettings, 'listeners' | 'port'>;
  page: TreePageOptions;
  /** Overrides the playbook's site_name. */
  siteName: string | null;
  reporter: PlaybookReporter;
}

export type StepResult =
  | { kind: 'recorded'; exchanges: number; seconds: number; change: PageChange; written: boolean }
  | Extract<StepOutcome, { kind: 'failed' } | { kind: 'skipped' }>
  | { kind: 'resumed' | 'not-selected' | 'not-run' | 'dry-run' };

export interface StepReport {
  index: number;
  total: number;
  step: PlaybookStep;
  result: StepResult;
}

/** Progress callbacks (the CLI prints them). */
export interface PlaybookReporter {
  started(index: number, total: number, step: PlaybookStep): void;
  done(report: StepReport): void;
  /** What a step would run (`--dry-run`). */
  plan(index: number, total: number, step: PlaybookStep, lines: string[]): void;
}

export interface PlaybookRun {
  playbook: Playbook;
  reports: StepReport[];
  /** Index and config files written. */
  written: string[];
}

function loadPlaybook(path: string): Playbook {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UserError(`${path}: cannot read the playbook (${(err as NodeJS.ErrnoException).code ?? 'error'})`, 2);
  }
  return parsePlaybook(text, path);
}

/** Which steps run: `--only` names, or from `--from` on, or all. */
function selection(playbook: Playbook, only: string[], from: string | null): Set<string> {
  const names = playbook.steps.map((s) => s.name);
  for (const name of [...only, ...(from === null ? [] : [from])]) {
    if (!names.includes(name)) throw new UserError(`playbook: no step named ${name} in ${playbook.file} (steps: ${names.join(', ')})`, 2);
  }
  const start = from === null ? 0 : names.indexOf(from);
  return new Set(names.filter((n, i) => i >= start && (only.length === 0 || only.includes(n))));
}

async function readIfThere(path: string): Promise<Capture | null> {
  if (!existsSync(path)) return null;
  try {
    return await readCapture(path);
  } catch {
    return null; // an unreadable old capture is replaced like a missing one
  }
}

/** A capture from an earlier run that `--resume` may keep: newer than the playbook, and it passed. */
function resumable(capture: Capture | null, capturePath: string, playbookPath: string, step: PlaybookStep): boolean {
  const exit = capture?.trailer?.exit;
  if (!exit || statSync(capturePath).mtimeMs <= statSync(playbookPath).mtimeMs) return false;
  return step.expect.includes(exitCodeOf(exit));
}

/** Takes a step's saved values from an earlier run's capture; false when one is missing. */
function restoreSaves(values: PlaybookValues, step: PlaybookStep, capture: Capture | null): boolean {
  if (!capture) return step.save.length === 0;
  const stdout = stdoutText(capture.trailer?.stdout ?? null);
  let all = true;
  for (const rule of step.save) {
    const saved = saveValue(rule, stdout);
    if (saved.kind === 'saved') values.saved.set(rule.name, { value: saved.value, step: step.name, from: 'capture' });
    else all = false;
  }
  return all;
}

function listenerSpecs(playbook: Playbook, values: PlaybookValues): RecorderSettings['listeners'] {
  return playbook.listeners.map((l) => {
    let text: string;
    try {
      text = expandTemplate(l.port, values.lookup(null));
    } catch (err) {
      throw new UserError(`${l.where}: listeners.${l.label}: ${(err as Error).message}`);
    }
    const port = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!(port >= 0 && port <= 65535)) throw new UserError(`${l.where}: listeners.${l.label}: ${text} is not a port (0-65535)`);
    return { label: l.label, port };
  });
}

function commandsDir(playbook: Playbook, values: PlaybookValues, cwd: string): string {
  if (playbook.cwd === null) return cwd;
  try {
    const dir = expandTemplate(playbook.cwd, values.lookup(null));
    return isAbsolute(dir) ? dir : resolve(dirname(resolve(cwd, playbook.file)), dir);
  } catch (err) {
    if (err instanceof MissingVariable) throw new UserError(`${playbook.file}: cwd: ${err.message}`);
    throw err;
  }
}

/** The render config with the saved values named as their variables (the page's variables note). */
function namingConfig(base: FlowscribeConfig, saved: Map<string, { value: string }>): FlowscribeConfig {
  const byValue = Object.fromEntries([...saved].map(([name, s]) => [s.value, name]));
  return { ...base, variables: { ...byValue, ...base.variables } };
}

function planLines(step: PlaybookStep): string[] {
  const lines = [
    ...step.setup.map((c) => `setup:    ${commandText(c)}`),
    ...step.before.map((c) => `before:   ${commandText(c)}`),
    `run:      ${commandText(step.run)}`,
    ...step.save.map((r) => `save:     ${r.name} ← ${r.source.kind === 'json' ? `json ${r.source.path.join('.')}` : `regex /${r.source.pattern.source}/`}`),
    ...step.teardown.map((c) => `teardown: ${commandText(c)}`),
  ];
  if (step.expect.join() !== '0') lines.push(`expect:   exit ${step.expect.join(' or ')}`);
  return lines;
}

/** The shared state of one run. */
interface Run {
  options: PlaybookRunOptions;
  playbook: Playbook;
  values: PlaybookValues;
  commandsCwd: string;
  recorder: RecorderSettings;
  unsaved: Map<string, string>;
  captures: Map<string, Capture>;
  /** The values the previous run saved (read from its captures before any step runs). */
  previousSaved: Map<string, { value: string }>;
}

/** What the previous run's steps saved, from their captures' stdout. */
async function previousValues(layout: SiteLayout, playbook: Playbook): Promise<Map<string, { value: string }>> {
  const saved = new Map<string, { value: string }>();
  for (const step of playbook.steps) {
    const capture = step.save.length ? await readIfThere(capturePathOf(layout, playbook, step)) : null;
    const stdout = stdoutText(capture?.trailer?.stdout ?? null);
    for (const rule of capture ? step.save : []) {
      const value = saveValue(rule, stdout);
      if (value.kind === 'saved') saved.set(rule.name, { value: value.value });
    }
  }
  return saved;
}

async function recordStep(run: Run, step: PlaybookStep, capturePath: string, previous: Capture | null): Promise<StepResult> {
  const ctx = { values: run.values, cwd: run.commandsCwd, recorder: run.recorder, capturePath, unsaved: run.unsaved };
  const outcome = await runStep(ctx, step);
  if (outcome.kind !== 'recorded') {
    const why = outcome.kind === 'failed' ? `step ${step.name} failed` : `step ${step.name} was skipped`;
    for (const rule of step.save) run.unsaved.set(rule.name, why);
    return outcome;
  }
  run.captures.set(step.name, outcome.capture);
  const page = { ...run.options.page, config: namingConfig(run.options.page.config ?? defaultConfig(), run.values.saved) };
  const before = namingConfig(run.options.page.config ?? defaultConfig(), run.previousSaved);
  const change = comparePages(previous, outcome.capture, page, { previous: before, next: page.config });
  const written = publishPage(run.options.layout, run.playbook, step, outcome.capture, page);
  return { kind: 'recorded', exchanges: outcome.capture.exchanges.length, seconds: outcome.seconds, change, written };
}

async function stepResult(run: Run, index: number, step: PlaybookStep, selected: boolean, stopped: boolean): Promise<StepResult> {
  const capturePath = capturePathOf(run.options.layout, run.playbook, step);
  const previous = await readIfThere(capturePath);
  if (previous) run.captures.set(step.name, previous);
  const keep = (kind: 'resumed' | 'not-selected' | 'not-run'): StepResult => {
    if (!restoreSaves(run.values, step, previous)) for (const r of step.save) if (!run.values.saved.has(r.name)) run.unsaved.set(r.name, `step ${step.name} did not run`);
    return { kind };
  };
  if (!selected) return keep('not-selected');
  if (stopped) return keep('not-run');
  if (run.options.resume && resumable(previous, capturePath, run.options.playbookPath, step)) return keep('resumed');
  if (run.options.dryRun) {
    keep('not-run'); // the values an earlier run saved, for the steps after it
    return { kind: 'dry-run' };
  }
  run.options.reporter.started(index, run.playbook.steps.length, step);
  return recordStep(run, step, capturePath, previous);
}

/** Pages for the indexes: every step that has a capture (this run's or an earlier one's). */
function treePages(run: Run): ReturnType<typeof treePage>[] {
  const page = { ...run.options.page, config: namingConfig(run.options.page.config ?? defaultConfig(), run.values.saved) };
  return run.playbook.steps.flatMap((step) => {
    const capture = run.captures.get(step.name);
    return capture && existsSync(capturePathOf(run.options.layout, run.playbook, step)) ? [treePage(step, capture, page)] : [];
  });
}

export async function runPlaybook(options: PlaybookRunOptions): Promise<PlaybookRun> {
  const playbook = loadPlaybook(options.playbookPath);
  const chosen = selection(playbook, options.only, options.from);
  const playbookDir = dirname(resolve(options.cwd, options.playbookPath));
  const values = new PlaybookValues(playbook, { playbook_dir: playbookDir }, options.env);
  if (!options.dryRun) checkTreeIsOurs(options.layout, playbook);
  const recorder = { ...options.recorder, port: 0, listeners: listenerSpecs(playbook, values) };
  const run: Run = {
    options, playbook, values, commandsCwd: commandsDir(playbook, values, options.cwd), recorder,
    unsaved: new Map(), captures: new Map(), previousSaved: options.dryRun ? new Map() : await previousValues(options.layout, playbook),
  };
  const reports: StepReport[] = [];
  const total = playbook.steps.length;
  let stopped = false;
  for (const [i, step] of playbook.steps.entries()) {
    const result = await stepResult(run, i + 1, step, chosen.has(step.name), stopped);
    if (result.kind === 'dry-run') options.reporter.plan(i + 1, total, step, planLines(step));
    const report = { index: i + 1, total, step, result };
    reports.push(report);
    if (result.kind !== 'dry-run') options.reporter.done(report);
    if (result.kind === 'failed' && !options.keepGoing) stopped = true;
  }
  const written = options.dryRun ? [] : publishTree(options.layout, playbook, treePages(run), { siteName: options.siteName, lang: options.page.lang });
  return { playbook, reports, written };
}
