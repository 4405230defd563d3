/**
 * One playbook step, phase by phase: conditions (`only`, `skip_if`), `setup`, `before`, the
 * recording (into `<page>.jsonl.partial`), the exit code against `expect`, `save`, `teardown`.
 * A failure names its phase and keeps the command's stderr; the recording of a failed run is kept
 * as `<page>.failed.jsonl` and the page's last good capture is left alone.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { Writable } from 'node:stream';
import { record, type RecorderSettings } from '../capture/record-session.js';
import { runPlainCommand } from '../capture/command/plain-command.js';
import { readCapture } from '../model/capture.js';
import type { Body, Capture } from '../model/exchange.js';
import type { PlaybookCommand, Condition, PlaybookStep } from '../model/playbook.js';
import { commandText, resolveCommand } from '../model/playbook-command.js';
import { MissingVariable, type Lookup } from '../model/playbook-template.js';
import { saveValue } from '../model/saved-values.js';
import type { PlaybookValues } from './vars.js';
import { makeDirectory } from '../make-directory.js';

export type StepPhase = 'variables' | 'condition' | 'setup' | 'before' | 'run' | 'save' | 'teardown';

export type StepOutcome =
  | { kind: 'recorded'; capture: Capture; seconds: number }
  | { kind: 'failed'; phase: StepPhase; message: string; stderr: string; seconds: number; exchanges: number | null; keptCapture: string | null }
  | { kind: 'skipped'; why: string };

export interface StepContext {
  values: PlaybookValues;
  /** Working directory of the commands. */
  cwd: string;
  recorder: RecorderSettings;
  /** The step's capture (`captures/<tree>/<page>.jsonl`). */
  capturePath: string;
  /** Saved names whose step failed or was skipped, with why (a later step needing one is skipped). */
  unsaved: Map<string, string>;
}

class StepFailure extends Error {
  /** The capture of a failed run, kept for debugging. */
  keptCapture: string | null = null;
  exchanges: number | null = null;
  /** Not a failure: a value the step needs was not saved (its step failed or was skipped). */
  skip = false;

  constructor(readonly phase: StepPhase, message: string, readonly stderr = '') {
    super(message);
  }
}

/** The command's stdout as text (a capture keeps non-UTF-8 output as base64). */
export function stdoutText(body: Body | null): string {
  if (!body) return '';
  return body.encoding === 'utf8' ? body.data : Buffer.from(body.data, 'base64').toString('utf8');
}

function resolve(spec: PlaybookCommand, lookup: Lookup, phase: StepPhase, unsaved: Map<string, string>): string[] {
  try {
    return resolveCommand(spec, lookup);
  } catch (err) {
    if (err instanceof MissingVariable) {
      const why = unsaved.get(err.variable);
      if (why) throw Object.assign(new StepFailure(phase, `needs \${${err.variable}}, ${why}`), { skip: true });
      throw new StepFailure(phase, `\${${err.variable}} has no value (not saved by an earlier step, not in env: or the environment)`);
    }
    throw new StepFailure(phase, `${commandText(spec)}: ${(err as Error).message}`);
  }
}

async function runPlain(specs: PlaybookCommand[], phase: StepPhase, ctx: StepContext, step: PlaybookStep): Promise<void> {
  const lookup = ctx.values.lookup(step);
  for (const spec of specs) {
    const argv = resolve(spec, lookup, phase, ctx.unsaved);
    const result = await runPlainCommand(argv, { cwd: ctx.cwd, env: ctx.values.environment(step) });
    if (result.exitCode !== 0) throw new StepFailure(phase, `${commandText(spec)} exited ${result.exitCode}`, result.stderr);
  }
}

async function holds(condition: Condition, ctx: StepContext, step: PlaybookStep): Promise<boolean> {
  if (condition.kind === 'env') return (ctx.values.lookup(step)(condition.name) ?? '') !== '';
  const argv = resolve(condition.command, ctx.values.lookup(step), 'condition', ctx.unsaved);
  return (await runPlainCommand(argv, { cwd: ctx.cwd, env: ctx.values.environment(step) })).exitCode === 0;
}

/** Why the step is skipped by its conditions, or null when it runs. */
async function skipReason(ctx: StepContext, step: PlaybookStep): Promise<string | null> {
  if (step.only && !(await holds(step.only, ctx, step))) return 'its only: condition does not hold';
  if (step.skipIf && (await holds(step.skipIf, ctx, step))) return 'its skip_if: condition holds';
  return null;
}

/** A sink for the recorded command's output streams (progress lines own the terminal). */
function collector(): { stream: Writable; text(): string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk);
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

async function recordRun(ctx: StepContext, step: PlaybookStep): Promise<Capture> {
  const argv = resolve(step.run, ctx.values.lookup(step), 'run', ctx.unsaved);
  const partial = `${ctx.capturePath}.partial`;
  makeDirectory(dirname(partial));
  const stderr = collector();
  const result = await record({
    argv, capturePath: partial, cwd: ctx.cwd, env: ctx.values.environment(step), settings: ctx.recorder,
    terminal: new Writable({ write: (_c, _e, done) => done() }), stderr: stderr.stream,
  });
  if (result.capturePath === null || result.exit.kind === 'not-started') {
    rmSync(partial, { force: true });
    throw new StepFailure('run', result.exit.kind === 'not-started' ? result.exit.message : `${argv[0] ?? ''}: did not start`);
  }
  const capture = await readCapture(partial);
  if (!step.expect.includes(result.exitCode)) {
    const failed = ctx.capturePath.replace(/\.jsonl$/, '.failed.jsonl');
    renameSync(partial, failed);
    const expected = step.expect.join(' or ');
    const failure = new StepFailure('run', `exit ${result.exitCode} (expected ${expected})`, stderr.text());
    throw Object.assign(failure, { keptCapture: failed, exchanges: capture.exchanges.length });
  }
  return capture;
}

function applySaves(ctx: StepContext, step: PlaybookStep, capture: Capture): void {
  const stdout = stdoutText(capture.trailer?.stdout ?? null);
  for (const rule of step.save) {
    const saved = saveValue(rule, stdout);
    if (saved.kind === 'missing') throw new StepFailure('save', `save ${rule.name} (${rule.where}): ${saved.why}`);
    ctx.values.saved.set(rule.name, { value: saved.value, step: step.name, from: 'recorded' });
  }
}

/** before, the recording and save; then teardown, whatever happened (setup has run). */
async function recordWithTeardown(ctx: StepContext, step: PlaybookStep): Promise<Capture> {
  let failure: unknown = null;
  let capture: Capture | null = null;
  try {
    await runPlain(step.before, 'before', ctx, step);
    capture = await recordRun(ctx, step);
    applySaves(ctx, step, capture);
  } catch (err) {
    failure = err;
  }
  try {
    await runPlain(step.teardown, 'teardown', ctx, step);
  } catch (err) {
    failure ??= err;
  }
  if (failure !== null || capture === null) throw failure;
  return capture;
}

function failedOutcome(ctx: StepContext, err: StepFailure, seconds: number): StepOutcome {
  if (err.skip) return { kind: 'skipped', why: err.message };
  const partial = `${ctx.capturePath}.partial`;
  let kept = err.keptCapture;
  if (existsSync(partial)) {
    // Recorded, but save or teardown failed: keep the recording next to the good one.
    kept = ctx.capturePath.replace(/\.jsonl$/, '.failed.jsonl');
    renameSync(partial, kept);
  }
  return { kind: 'failed', phase: err.phase, message: err.message, stderr: err.stderr, seconds, exchanges: err.exchanges, keptCapture: kept };
}

/** Runs one step to its outcome (never throws for the step's own failures). */
export async function runStep(ctx: StepContext, step: PlaybookStep): Promise<StepOutcome> {
  const started = process.hrtime.bigint();
  const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
  try {
    const why = await skipReason(ctx, step);
    if (why) return { kind: 'skipped', why };
    await runPlain(step.setup, 'setup', ctx, step);
    const capture = await recordWithTeardown(ctx, step);
    renameSync(`${ctx.capturePath}.partial`, ctx.capturePath);
    return { kind: 'recorded', capture, seconds: seconds() };
  } catch (err) {
    if (err instanceof StepFailure) return failedOutcome(ctx, err, seconds());
    // An env: entry whose reference has no value (checked when the step's environment is built).
    if (err instanceof MissingVariable) return failedOutcome(ctx, new StepFailure('variables', `env: ${err.message}`), seconds());
    throw err;
  }
}
