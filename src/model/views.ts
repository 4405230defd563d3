/**
 * Views: which exchanges a diagram shows. A `Filter` picks exchanges by participant, method and
 * path glob; `--include`/`--exclude` and the summary view's exclusions are lists of them. An
 * exchange is kept or dropped as a whole, so a request never loses its response arrow.
 */
import type { ExchangeRecord, ExchangeState } from './exchange.js';
import { splitUrl } from './request-url.js';
import type { Participant } from './flow.js';

export type { Filter, StatusTest } from './filter-spec.js';
import type { Filter, StatusTest } from './filter-spec.js';

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

export { FILTER_SYNOPSIS, parseFilter } from './filter-spec.js';

function participantMatches(wanted: string, p: Participant): boolean {
  const w = wanted.toLowerCase();
  return p.name.toLowerCase() === w || p.alias.toLowerCase() === w;
}

const valueGlobs = new Map<string, RegExp>();

/** A glob over free text (header values, hosts): `*` any run of characters, `?` one. */
export function textGlob(glob: string): RegExp {
  let re = valueGlobs.get(glob);
  if (!re) {
    re = new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
    valueGlobs.set(glob, re);
  }
  return re;
}

function statusMatches(test: StatusTest, e: ExchangeRecord): boolean {
  const code = e.response?.statusCode;
  if (code === undefined) return false;
  switch (test.op) {
    case 'class': return Math.floor(code / 100) === test.value;
    case '=': return code === test.value;
    case '!=': return code !== test.value;
    case '>=': return code >= test.value;
    case '<=': return code <= test.value;
    case '>': return code > test.value;
    case '<': return code < test.value;
  }
}

function headerMatches(wanted: NonNullable<Filter['header']>, e: ExchangeRecord): boolean {
  const name = wanted.name.toLowerCase();
  const headers = [...e.request.headers, ...(e.response?.headers ?? [])];
  return headers.some(([n, v]) => n.toLowerCase() === name && (wanted.value === null || textGlob(wanted.value).test(v)));
}

function hostMatches(glob: string, e: ExchangeRecord): boolean {
  const { hostPort } = splitUrl(e.request.url);
  const host = hostPort.replace(/:\d+$/, '');
  return textGlob(glob).test(hostPort) || textGlob(glob).test(host);
}

function bodyMatches(source: string, e: ExchangeRecord): boolean {
  const re = new RegExp(source);
  return [e.request.body, e.response?.body].some((b) => b !== undefined && b.encoding === 'utf8' && re.test(b.data));
}

/** The grammar's newer clauses (host, status, header, state, body), all of which must match. */
function exchangeMatches(filter: Filter, e: ExchangeRecord): boolean {
  if (filter.state !== undefined && e.state !== filter.state) return false;
  if (filter.status !== undefined && !statusMatches(filter.status, e)) return false;
  if (filter.host !== undefined && !hostMatches(filter.host, e)) return false;
  if (filter.header !== undefined && !headerMatches(filter.header, e)) return false;
  return filter.body === undefined || bodyMatches(filter.body, e);
}

/** True when every field the filter gives matches the exchange. */
export function matchesFilter(filter: Filter, facts: ExchangeFacts): boolean {
  if (!exchangeMatches(filter, facts.exchange)) return false;
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
