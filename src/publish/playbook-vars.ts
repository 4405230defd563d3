/**
 * The values a playbook's `${name}` references see, most specific first: the step's `env`, values
 * saved by earlier steps, the playbook's `env`, built-ins (`playbook_dir`), then the caller's
 * environment. Also the environment each command runs with (caller's + playbook's + step's).
 */
import type { Playbook, PlaybookStep } from '../model/playbook.js';
import { expandTemplate, type Lookup } from '../model/playbook-template.js';

/** Where a saved value came from: the step that saved it, and whether it ran in this run. */
export interface SavedOrigin {
  value: string;
  step: string;
  /** `recorded` now, or `capture` (read back from an earlier run's capture). */
  from: 'recorded' | 'capture';
}

export class PlaybookValues {
  readonly saved = new Map<string, SavedOrigin>();

  constructor(
    private readonly playbook: Playbook,
    private readonly builtins: Record<string, string>,
    private readonly callerEnv: NodeJS.ProcessEnv,
  ) {}

  /** `env:` entries expanded against the values below them. */
  private static expandEnv(env: Record<string, string>, lookup: Lookup): Record<string, string> {
    return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, expandTemplate(v, lookup)]));
  }

  /** The playbook's and the step's env, expanded; throws MissingVariable when an entry lacks a value. */
  private layers(step: PlaybookStep | null): { top: Record<string, string>; own: Record<string, string>; lookup: Lookup } {
    const below: Lookup = (name) => this.saved.get(name)?.value ?? this.builtins[name] ?? this.callerEnv[name];
    const top = PlaybookValues.expandEnv(this.playbook.env, below);
    const withTop: Lookup = (name) => this.saved.get(name)?.value ?? top[name] ?? this.builtins[name] ?? this.callerEnv[name];
    const own = step ? PlaybookValues.expandEnv(step.env, withTop) : {};
    return { top, own, lookup: (name) => own[name] ?? withTop(name) };
  }

  /** The lookup for one step's strings. */
  lookup(step: PlaybookStep | null): Lookup {
    return this.layers(step).lookup;
  }

  /** The environment a step's commands run with. */
  environment(step: PlaybookStep): NodeJS.ProcessEnv {
    const { top, own } = this.layers(step);
    return { ...this.callerEnv, ...top, ...own };
  }
}
