/**
 * The render config (`flowscribe.config.json` or `--config FILE`): names for participants and
 * variables, and the summary view's exclusions. Every key is checked so a typo is an error naming
 * the file and the key instead of a silently ignored setting. Example:
 *
 *     {
 *       "participants": { "127.0.0.1:8080": "swift-proxy", "image": "glance", "keystone-api": "keystone" },
 *       "variables": { "service_id": "service_project_id", "e6167145-7865-4d3d-ad19-2a59fb3f1870": "cirros_id" },
 *       "summaryExclude": ["/identity/v3/limits", { "participant": "glance-api", "method": "GET" }]
 *     }
 *
 * `summaryExclude` entries are `--exclude` specs or `{participant, method, path}` objects.
 */
import { UserError } from '../errors.js';
import { parseFilter, type Filter } from './filter-spec.js';

export interface FlowscribeConfig {
  /** Participant display names by `host:port`, service type or name, listener label, process comm or default name. */
  participants: Record<string, string>;
  /** Variable names by value (`e6167145-…`) or by inferred name (`service_id`), without braces. */
  variables: Record<string, string>;
  /** Exchanges the summary view folds away; null = the profile's default (OpenStack: unified limits). */
  summaryExclude: Filter[] | null;
}

/** The config used when there is no config file. */
export function defaultConfig(): FlowscribeConfig {
  return { participants: {}, variables: {}, summaryExclude: null };
}

const TOP_KEYS = ['participants', 'variables', 'summaryExclude'] as const;
/** Variable names end up inside `{…}` in paths and as mermaid text: keep them plain. */
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringMap(value: unknown, key: string, name: string, check?: RegExp): Record<string, string> {
  if (value === undefined) return {};
  if (!isRecord(value)) throw new UserError(`${name}: "${key}" must be an object of strings`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string' || v.trim() === '') throw new UserError(`${name}: "${key}.${k}" must be a non-empty string`);
    if (check && !check.test(v)) throw new UserError(`${name}: "${key}.${k}" = ${JSON.stringify(v)} is not a valid name (letters, digits, _ . -)`);
    out[k] = v;
  }
  return out;
}

function filterFromObject(value: Record<string, unknown>, where: string, name: string): Filter {
  const filter: Filter = {};
  for (const [k, v] of Object.entries(value)) {
    if (k !== 'participant' && k !== 'method' && k !== 'path') throw new UserError(`${name}: unknown key "${where}.${k}" (keys: participant, method, path)`);
    if (typeof v !== 'string' || v === '') throw new UserError(`${name}: "${where}.${k}" must be a non-empty string`);
    filter[k] = k === 'method' ? v.toUpperCase() : v;
  }
  if (Object.keys(filter).length === 0) throw new UserError(`${name}: "${where}" is an empty filter`);
  if (filter.path !== undefined) parseFilter(filter.path, `${name}: "${where}.path"`);
  return filter;
}

function summaryFilters(value: unknown, name: string): Filter[] | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value)) throw new UserError(`${name}: "summaryExclude" must be a list of filters`);
  return value.map((item: unknown, i) => {
    const where = `summaryExclude[${i}]`;
    if (typeof item === 'string') return parseFilter(item, `${name}: "${where}"`);
    if (isRecord(item)) return filterFromObject(item, where, name);
    throw new UserError(`${name}: "${where}" must be a filter string or object`);
  });
}

/** Parses a config file's text; `name` (the file path) prefixes every error. */
export function parseConfig(text: string, name: string): FlowscribeConfig {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UserError(`${name}: not valid JSON (${(err as Error).message})`);
  }
  if (!isRecord(value)) throw new UserError(`${name}: the config must be a JSON object`);
  for (const key of Object.keys(value)) {
    if (!(TOP_KEYS as readonly string[]).includes(key)) throw new UserError(`${name}: unknown key "${key}" (keys: ${TOP_KEYS.join(', ')})`);
  }
  try {
    return {
      participants: stringMap(value.participants, 'participants', name),
      variables: stringMap(value.variables, 'variables', name, VARIABLE_NAME),
      summaryExclude: summaryFilters(value.summaryExclude, name),
    };
  } catch (err) {
    // parseFilter reports usage errors (exit 2); inside a file they are bad input (exit 1).
    if (err instanceof UserError && err.exitCode === 2) throw new UserError(err.message, 1, err.hint);
    throw err;
  }
}
