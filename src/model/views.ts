/**
 * Views: which exchanges a diagram shows. A `Filter` picks exchanges by participant, method and
 * path glob; `--include`/`--exclude` and the summary view's exclusions are lists of them. An
 * exchange is kept or dropped as a whole, so a request never loses its response arrow.
 */
import { UserError } from '../errors.js';
import type { ExchangeRecord } from './exchange.js';
import type { Participant } from './timeline.js';

/** Picks exchanges; every field given must match. */
export interface Filter {
  /** A participant's display name or alias, on either end of the exchange. */
  participant?: string;
  /** HTTP method, case-insensitive. */
  method?: string;
  /** Glob over the path without query: `*` within a segment, `**` across segments. */
  path?: string;
}

/** What a filter is matched against: one exchange with its resolved ends and paths. */
export interface ExchangeFacts {
  exchange: ExchangeRecord;
  from: Participant;
  to: Participant;
  /** The path as recorded, without query. */
  path: string;
  /** The path with `{variables}` in place of ids. */
  pathTemplate: string;
}

const FILTER_KEYS = ['participant', 'method', 'path'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];

/**
 * The OpenStack summary exclusion: the unified-limits calls Glance (and others using oslo.limit)
 * make for every quota check, and the endpoint look-ups that serve them. `**` lets the same
 * patterns match a Keystone under a path prefix (`/identity/v3/limits`) or at the root. The
 * timeline applies them to services' calls only (see `foldSummary` in timeline.ts).
 */
export function defaultSummaryExclude(): Filter[] {
  return [
    { path: '**/v3/limits' },
    { path: '**/v3/limits/**' },
    { path: '**/v3/registered_limits' },
    { path: '**/v3/registered_limits/**' },
    { method: 'GET', path: '**/v3/endpoints/*' },
  ];
}

const globCache = new Map<string, RegExp>();

/** Compiles a path glob: `**` matches anything (also empty), `*` anything but `/`. */
export function globToRegExp(glob: string): RegExp {
  const cached = globCache.get(glob);
  if (cached) return cached;
  let source = '';
  for (let i = 0; i < glob.length; i += 1) {
    const c = glob.charAt(i);
    if (c === '*' && glob.charAt(i + 1) === '*') {
      source += '.*';
      i += 1;
    } else if (c === '*') source += '[^/]*';
    else source += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  const re = new RegExp(`^${source}$`);
  globCache.set(glob, re);
  return re;
}

function parseFilterPart(part: string, spec: string, flag: string): [FilterKey, string] {
  const eq = part.indexOf('=');
  if (eq < 0) throw new UserError(`${flag} ${JSON.stringify(spec)}: "${part}" is not key=value (keys: ${FILTER_KEYS.join(', ')})`, 2);
  const key = part.slice(0, eq).trim();
  const value = part.slice(eq + 1).trim();
  if (!(FILTER_KEYS as readonly string[]).includes(key)) {
    throw new UserError(`${flag} ${JSON.stringify(spec)}: unknown key "${key}" (keys: ${FILTER_KEYS.join(', ')})`, 2);
  }
  if (value === '') throw new UserError(`${flag} ${JSON.stringify(spec)}: empty value for "${key}"`, 2);
  return [key as FilterKey, value];
}

function checkPathGlob(path: string, spec: string, flag: string): void {
  if (!path.startsWith('/') && !path.startsWith('*')) {
    throw new UserError(`${flag} ${JSON.stringify(spec)}: path glob "${path}" must start with / or *`, 2);
  }
}

/** Parses `participant=glance-api,method=GET,path=/v3/limits*` or a bare path glob. */
export function parseFilter(spec: string, flag: string): Filter {
  const text = spec.trim();
  if (text === '') throw new UserError(`${flag}: empty filter (use participant=NAME,method=GET,path=GLOB or a path glob)`, 2);
  if (!text.includes('=')) {
    checkPathGlob(text, spec, flag);
    return { path: text };
  }
  const filter: Filter = {};
  for (const part of text.split(',')) {
    const [key, value] = parseFilterPart(part, spec, flag);
    if (filter[key] !== undefined) throw new UserError(`${flag} ${JSON.stringify(spec)}: "${key}" given twice`, 2);
    if (key === 'path') checkPathGlob(value, spec, flag);
    filter[key] = key === 'method' ? value.toUpperCase() : value;
  }
  return filter;
}

function participantMatches(wanted: string, p: Participant): boolean {
  const w = wanted.toLowerCase();
  return p.name.toLowerCase() === w || p.alias.toLowerCase() === w;
}

/** True when every field the filter gives matches the exchange. */
export function matchesFilter(filter: Filter, facts: ExchangeFacts): boolean {
  if (filter.method !== undefined && facts.exchange.request.method.toUpperCase() !== filter.method.toUpperCase()) return false;
  if (filter.participant !== undefined && !participantMatches(filter.participant, facts.from) && !participantMatches(filter.participant, facts.to)) {
    return false;
  }
  if (filter.path !== undefined) {
    const re = globToRegExp(filter.path);
    if (!re.test(facts.path) && !re.test(facts.pathTemplate)) return false;
  }
  return true;
}

/** Keeps what matches any `include` (all when empty), then drops what matches any `exclude`. */
export function selectExchanges<T extends ExchangeFacts>(items: T[], include: Filter[], exclude: Filter[]): T[] {
  return items.filter(
    (facts) =>
      (include.length === 0 || include.some((f) => matchesFilter(f, facts))) && !exclude.some((f) => matchesFilter(f, facts)),
  );
}
