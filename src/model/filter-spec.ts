/**
 * The filter grammar of `--include`/`--exclude` (and the config's `summaryExclude` strings):
 *
 *     spec    := PATH-GLOB | clause ("," clause)*
 *     clause  := participant=NAME | method=VERB | path=GLOB | host=GLOB
 *              | status=CODE | status=Nxx | status(>=|<=|>|<|!=)CODE   (status==>=400 also reads)
 *              | header=NAME | header=NAME:GLOB | state=STATE | body~REGEX
 *
 * Every clause must match (AND); several `--include` flags are alternatives (OR). `body~` takes the
 * rest of the spec (a regex may hold commas), so it comes last. A bad spec is one line naming the
 * flag, the spec and the offending clause with its column.
 */
import { UserError } from '../errors.js';
import type { ExchangeState } from './exchange.js';
import type { Filter, StatusTest } from './views.js';

/** One line for `--help`. */
export const FILTER_SYNOPSIS = 'participant=, method=, path=, host=, status=401|4xx|>=400, header=NAME[:GLOB], state=failed, body~REGEX; comma = and';

const KEYS = ['participant', 'method', 'path', 'host', 'status', 'header', 'state', 'body~'];
const STATES: readonly ExchangeState[] = ['completed', 'failed', 'aborted', 'incomplete'];

/** A clause of a spec with where it starts (1-based column), for error messages. */
interface Clause {
  text: string;
  column: number;
}

class SpecError {
  constructor(
    readonly clause: Clause,
    readonly problem: string,
  ) {}
}

function splitClauses(spec: string): Clause[] {
  const clauses: Clause[] = [];
  let start = 0;
  while (start <= spec.length) {
    const rest = spec.slice(start);
    // body~ swallows the rest of the spec: a regex may hold commas.
    const comma = /^\s*body~/.test(rest) ? -1 : rest.indexOf(',');
    const text = comma < 0 ? rest : rest.slice(0, comma);
    clauses.push({ text, column: start + 1 + (text.length - text.trimStart().length) });
    if (comma < 0) break;
    start += comma + 1;
  }
  return clauses;
}

function parseStatus(value: string, clause: Clause): StatusTest {
  const m = /^(>=|<=|!=|>|<|=)?\s*([1-5](?:\d\d|xx|XX))$/.exec(value.trim());
  if (!m) throw new SpecError(clause, `status "${value}" is not 401, 4xx or a comparison like >=400`);
  const code = m[2] ?? '';
  if (/xx$/i.test(code)) {
    if (m[1] && m[1] !== '=') throw new SpecError(clause, `status "${value}": a class (${code}) takes no comparison`);
    return { op: 'class', value: Number(code[0]) };
  }
  return { op: (m[1] ?? '=') as StatusTest['op'], value: Number(code) };
}

function checkGlob(key: 'path', value: string, clause: Clause): void {
  if (key === 'path' && !value.startsWith('/') && !value.startsWith('*')) throw new SpecError(clause, `path glob "${value}" must start with / or *`);
}

function checkRegex(source: string, clause: Clause): void {
  try {
    new RegExp(source);
  } catch (err) {
    throw new SpecError(clause, `body~ regex "${source}" is not valid (${(err as Error).message.replace(/^Invalid regular expression: /, '')})`);
  }
}

function keyAndValue(clause: Clause): [string, string] {
  const text = clause.text.trim();
  if (text.startsWith('body~')) return ['body~', text.slice('body~'.length)];
  const status = /^status\s*(>=|<=|!=|>|<)(.*)$/.exec(text);
  if (status) return ['status', `${status[1]}${status[2]}`];
  const eq = text.indexOf('=');
  if (eq < 0) throw new SpecError(clause, `"${text}" is not key=value (keys: ${KEYS.join(' ')})`);
  return [text.slice(0, eq).trim(), text.slice(eq + 1).trim()];
}

function setClause(filter: Filter, key: string, value: string, clause: Clause): void {
  if (!KEYS.includes(key)) throw new SpecError(clause, `unknown key "${key}" (keys: ${KEYS.join(' ')})`);
  const field = key === 'body~' ? 'body' : key;
  if ((filter as Record<string, unknown>)[field] !== undefined) throw new SpecError(clause, `"${key}" given twice`);
  if (value === '') throw new SpecError(clause, `empty value for "${key}"`);
  switch (key) {
    case 'participant': filter.participant = value; break;
    case 'method': filter.method = value.toUpperCase(); break;
    case 'path': checkGlob('path', value, clause); filter.path = value; break;
    case 'host': filter.host = value; break;
    case 'status': filter.status = parseStatus(value.startsWith('=') ? value.slice(1) : value, clause); break;
    case 'header': {
      const colon = value.indexOf(':');
      filter.header = colon < 0 ? { name: value, value: null } : { name: value.slice(0, colon), value: value.slice(colon + 1) };
      if (filter.header.name === '') throw new SpecError(clause, `header "${value}" has no name`);
      break;
    }
    case 'state':
      if (!(STATES as readonly string[]).includes(value)) throw new SpecError(clause, `state "${value}" is not one of ${STATES.join(', ')}`);
      filter.state = value as ExchangeState;
      break;
    default: checkRegex(value, clause); filter.body = value;
  }
}

function parseClauses(text: string): Filter {
  const filter: Filter = {};
  for (const clause of splitClauses(text)) {
    if (clause.text.trim() === '') throw new SpecError(clause, 'empty clause');
    const [key, value] = keyAndValue(clause);
    setClause(filter, key, value, clause);
  }
  return filter;
}

/** Parses a filter spec (see the module comment); a bad spec is a usage error naming the clause. */
export function parseFilter(spec: string, flag: string): Filter {
  const text = spec.trim();
  if (text === '') throw new UserError(`${flag}: empty filter (use participant=NAME,method=GET,path=GLOB or a path glob)`, 2);
  try {
    if (!/[=~<>]/.test(text)) {
      const whole = { text, column: 1 };
      checkGlob('path', text, whole);
      return { path: text };
    }
    return parseClauses(text);
  } catch (err) {
    if (!(err instanceof SpecError)) throw err;
    const at = err.clause.text.trim();
    throw new UserError(`${flag} ${JSON.stringify(spec)}: at column ${err.clause.column} (${JSON.stringify(at)}): ${err.problem}`, 2);
  }
}
