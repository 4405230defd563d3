/**
 * Variables: ids in paths (UUIDs, 32-hex ids, the id after a profile's account prefix, Swift's
 * `AUTH_<id>`) shown as `{name}`.
 * A value is named when its first request path is reached in arrow order, from the clues the
 * exchanges before it left (see `id-hints.ts`); a value nothing explained is named after the path
 * segment before it (`/images/<id>` → `image_id`), else `id_N`. Names are given once for the whole
 * capture, so every view and every arrow shows the same value under the same name. The config
 * renames by value or by inferred name, and can name any other literal path segment.
 */
import type { FlowscribeConfig } from './config.js';
import type { ExchangeEvent } from './exchange-events.js';
import type { ExchangeRecord } from './exchange.js';
import { bodyHints, headerHints, ID_PATTERN, idsIn, pathHints, someId, type AccountPrefix } from './id-hints.js';
import type { Hint, Profile } from './profiles/profile.js';
import { splitUrl } from './request-url.js';
import type { Variable } from './flow.js';

/** Named values of one capture. */
export interface VariableTable {
  /** Every named value, in the order the names were given. */
  variables: Variable[];
  /** The path with named values as `{name}`, and the variables it used in order (shared: do not change). */
  templatePath(path: string): { template: string; used: readonly Variable[] };
}

/** Whether an exchange was made by the wrapped command itself (its tokens name `{project_id}`). */
export type IsClientExchange = (exchange: ExchangeRecord) => boolean;

class Namer {
  readonly byValue = new Map<string, Variable>();
  private readonly names = new Set<string>();
  private readonly hints = new Map<string, string>();
  /** Per wanted name, the suffix the last clash ended at: every smaller one is taken (names are never freed). */
  private readonly lastSuffix = new Map<string, number>();
  private fallbacks = 0;

  constructor(private readonly configured: ConfiguredNames, readonly pending: Set<string>) {}

  learn(hints: Hint[]): void {
    for (const [value, name] of hints) {
      if (this.pending.has(value) && !this.hints.has(value)) this.hints.set(value, name);
    }
  }

  name(value: string, pathHint: string | undefined): void {
    if (this.byValue.has(value)) return;
    const inferred = this.hints.get(value) ?? pathHint ?? `id_${(this.fallbacks += 1)}`;
    const wanted = this.configured.get(value) ?? this.configured.get(inferred) ?? inferred;
    let name = wanted;
    // Starting where the last clash of this name ended: 400 images need not try `image_id_2` 400 times.
    for (let i = this.lastSuffix.get(wanted) ?? 2; this.names.has(name); i += 1) {
      name = `${wanted}_${i}`;
      this.lastSuffix.set(wanted, i);
    }
    this.names.add(name);
    this.byValue.set(value, { name, value });
    this.pending.delete(value);
  }
}

/**
 * The config's names by value or inferred name, as a Map rather than looked up on the config's
 * object: a property lookup internalizes the key string in place, and V8 then treats it as two-byte
 * text, so every label and path built from it — and the whole page they are joined into — doubled
 * in size (a 10,000-exchange page flattened to 20 MB instead of 10).
 */
type ConfiguredNames = ReadonlyMap<string, string>;

/** What names a path's values: the config's names, and the profile's account prefix (`AUTH_`). */
interface PathNaming {
  configured: ConfiguredNames;
  account: AccountPrefix;
}

/** Literal (non-id) values the config names, found as whole segments or after the account prefix. */
function literalInSegment(segment: string, { configured, account }: PathNaming): string | undefined {
  const value = account !== null && segment.startsWith(account) ? segment.slice(account.length) : segment;
  return value !== '' && configured.has(value) ? value : undefined;
}

function idsInPath(path: string, naming: PathNaming): string[] {
  if (naming.configured.size === 0) return idsIn(path);
  return path.split('/').flatMap((segment) => {
    const literal = literalInSegment(segment, naming);
    return literal !== undefined ? [literal] : idsIn(segment);
  });
}

/** Whether a text holds any value still waiting for a name (so parsing it can help). */
function mentionsPending(text: string | undefined, pending: Set<string>): boolean {
  if (!text || pending.size === 0) return false;
  return someId(text, (id) => pending.has(id));
}

type HintProfile = Pick<Profile, 'responseHints' | 'accountPrefix'>;

function learnFrom(event: ExchangeEvent, namer: Namer, isClient: IsClientExchange, profile: HintProfile): void {
  const e = event.exchange;
  const message = event.kind === 'request' ? e.request : e.response;
  if (!message || namer.pending.size === 0) return;
  namer.learn(headerHints(message.headers, profile.accountPrefix));
  if (mentionsPending(message.body.data, namer.pending)) namer.learn(bodyHints(e, event.kind, isClient(e), profile));
}

function templateSegment(segment: string, table: Map<string, Variable>, naming: PathNaming, used: Variable[]): string {
  const literal = literalInSegment(segment, naming);
  const literalVar = literal !== undefined ? table.get(literal) : undefined;
  if (literalVar) {
    used.push(literalVar);
    const { account } = naming;
    return account !== null && segment.startsWith(account) ? `${account}{${literalVar.name}}` : `{${literalVar.name}}`;
  }
  return segment.replace(ID_PATTERN, (id) => {
    const v = table.get(id);
    if (!v) return id;
    used.push(v);
    return `{${v.name}}`;
  });
}

/** Names every id in the request paths of `events` (already in arrow order), with the profile's clues. */
export function inferVariables(
  events: readonly ExchangeEvent[],
  config: FlowscribeConfig,
  isClient: IsClientExchange,
  profile: HintProfile,
): VariableTable {
  const naming: PathNaming = { configured: new Map(Object.entries(config.variables)), account: profile.accountPrefix };
  // Each exchange's path ids, found once: the naming pass below reads them again.
  const idsOf = new Map<ExchangeRecord, { path: string; ids: string[] }>();
  const pending = new Set<string>();
  for (const { exchange } of events) {
    if (idsOf.has(exchange)) continue;
    const path = splitUrl(exchange.request.url).path;
    const ids = idsInPath(path, naming);
    idsOf.set(exchange, { path, ids });
    for (const id of ids) pending.add(id);
  }
  const namer = new Namer(naming.configured, pending);
  for (const event of events) {
    const { path, ids } = idsOf.get(event.exchange) ?? { path: '', ids: [] };
    // The path's own hints only matter for an id not named yet (most paths repeat named ones).
    if (event.kind === 'request' && ids.some((id) => !namer.byValue.has(id))) {
      const fromPath = new Map(pathHints(path, profile.accountPrefix));
      for (const id of ids) namer.name(id, fromPath.get(id));
    }
    learnFrom(event, namer, isClient, profile);
  }
  const table = namer.byValue;
  // A pure function of the path once the names are given; paths repeat (`GET /v3/auth/tokens`).
  const templates = new Map<string, { template: string; used: readonly Variable[] }>();
  return {
    variables: [...table.values()],
    templatePath(path) {
      const known = templates.get(path);
      if (known) return known;
      const used: Variable[] = [];
      const template = path.split('/').map((s) => templateSegment(s, table, naming, used)).join('/');
      const made = { template, used: [...new Set(used)] };
      templates.set(path, made);
      return made;
    },
  };
}
