/**
 * Where an id came from, as a name: the clues exchanges leave about the ids that later appear in
 * paths. The profile's clues come first (OpenStack: catalog and token ids); a POST to a collection
 * names the created `id` after the collection (`POST /v2/images` → `{image_id}`); a `Location`
 * header names ids by path segment; any other JSON key `x_id` (or `id` under a key `x`) names its
 * value `x_id`.
 */
import type { ExchangeRecord, RawHeaders } from './exchange.js';
import { isJsonObject, objectAt, parseJsonBody, stringAt, type Json } from './json-body.js';
import type { Hint, Profile } from './profiles/profile.js';
import { splitUrl } from './request-url.js';

/** A UUID or a 32-hex id, not part of a longer word (`AUTH_<id>` still matches: `_` is a boundary). */
export const ID_PATTERN = /(?<![0-9A-Za-z])(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{32})(?![0-9A-Za-z])/g;

/**
 * The ids in a text, in order (what `text.matchAll(ID_PATTERN)` finds). One shared expression run
 * with `exec`: `matchAll` makes a new copy of the expression per call, which for every path segment,
 * header and body of a capture was a measurable share of reading its variables.
 */
export function idsIn(text: string): string[] {
  const ids: string[] = [];
  ID_PATTERN.lastIndex = 0;
  for (let m = ID_PATTERN.exec(text); m !== null; m = ID_PATTERN.exec(text)) ids.push(m[0]);
  return ids;
}

/** Whether some id in the text passes `test` (stops at the first that does). */
export function someId(text: string, test: (id: string) => boolean): boolean {
  ID_PATTERN.lastIndex = 0;
  for (let m = ID_PATTERN.exec(text); m !== null; m = ID_PATTERN.exec(text)) {
    if (test(m[0])) {
      ID_PATTERN.lastIndex = 0;
      return true;
    }
  }
  return false;
}

const WHOLE_ID = /^(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{32})$/;

/** True when the whole text is one id. */
export function isId(text: string): boolean {
  return WHOLE_ID.test(text);
}

/** `images` → `image`, `policies` → `policy`, `addresses` → `address`. */
export function singular(word: string): string {
  if (/ies$/.test(word)) return word.replace(/ies$/, 'y');
  if (/(ss|x|z|ch|sh)es$/.test(word)) return word.replace(/es$/, '');
  if (/[^su]s$/.test(word)) return word.slice(0, -1);
  return word;
}

/** A name part from free text: lower-case, runs of other characters as `_`. */
export function nameWord(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

/** A profile's account prefix (`AUTH_`, see Profile.accountPrefix), or null. */
export type AccountPrefix = Profile['accountPrefix'];

/** The name for an id found in a path after `segment` (`images` → `image_id`; the account word → `project_id`), or null. */
export function nameAfterSegment(segment: string | undefined, account: AccountPrefix = null): string | null {
  if (!segment || !/^[A-Za-z][A-Za-z0-9_-]*$/.test(segment) || /^v\d/.test(segment)) return null;
  if (account !== null && segment.toLowerCase() === account.replace(/_$/, '').toLowerCase()) return 'project_id';
  return `${nameWord(singular(segment))}_id`;
}

/** Hints from ids in a path: each id named after the segment before it; `<account prefix><id>` is a project. */
export function pathHints(path: string, account: AccountPrefix): Hint[] {
  const hints: Hint[] = [];
  const segments = path.split('/');
  segments.forEach((segment, i) => {
    for (const id of idsIn(segment)) {
      const name = account !== null && segment.startsWith(account) ? 'project_id' : nameAfterSegment(segments[i - 1], account);
      if (name) hints.push([id, name]);
    }
  });
  return hints;
}

/** The collection a POST created something in: the path's last segment that is not an id. */
function createdHints(exchange: ExchangeRecord, body: Json, account: AccountPrefix): Hint[] {
  if (exchange.request.method !== 'POST' || !exchange.response || exchange.response.statusCode >= 300) return [];
  const segments = splitUrl(exchange.request.url).path.split('/').filter((s) => s !== '');
  const collection = segments.reverse().find((s) => !isId(s));
  const name = nameAfterSegment(collection, account);
  if (!name || !collection) return [];
  const id = stringAt(body, 'id') ?? stringAt(objectAt(body, singular(collection)), 'id');
  return id ? [[id, name]] : [];
}

/** Any `x_id: value`, and `id: value` inside an object held by key `x`, named `x_id`. */
function genericHints(value: Json, parentKey: string | null, depth: number, out: Hint[], account: AccountPrefix): void {
  if (depth > 20) return;
  if (Array.isArray(value)) {
    for (const item of value) genericHints(item, parentKey, depth + 1, out, account);
    return;
  }
  if (!isJsonObject(value)) return;
  for (const [key, v] of Object.entries(value)) {
    if (typeof v === 'string') {
      if (key === 'id' && parentKey) {
        const name = nameAfterSegment(parentKey, account);
        if (name) out.push([v, name]);
      } else if (/^[a-z][a-z0-9_]*_id$/i.test(key)) out.push([v, key.toLowerCase()]);
    } else genericHints(v, key, depth + 1, out, account);
  }
}

/** Hints from headers: ids in a `Location`, and `X-Foo-Id: <id>` → `foo_id`. */
export function headerHints(headers: RawHeaders, account: AccountPrefix): Hint[] {
  return headers.flatMap(([name, value]): Hint[] => {
    const lower = name.toLowerCase();
    if (lower === 'location' || lower === 'content-location') return pathHints(splitUrl(value).path, account);
    const idHeader = /^(?:x-)?(?:openstack-)?([a-z][a-z0-9-]*)-id$/.exec(lower);
    const subject = idHeader?.[1];
    if (subject && !/request|trans/.test(subject)) {
      return idsIn(value).map((id): Hint => [id, `${nameWord(subject)}_id`]);
    }
    return [];
  });
}

/** Hints in a JSON body, the most specific first. */
export function bodyHints(
  exchange: ExchangeRecord,
  side: 'request' | 'response',
  byClient: boolean,
  profile: Pick<Profile, 'responseHints' | 'accountPrefix'>,
): Hint[] {
  const body = side === 'request' ? exchange.request.body : exchange.response?.body;
  const json = parseJsonBody(body);
  if (json === undefined) return [];
  const hints: Hint[] = side === 'response' ? [...profile.responseHints(json, byClient), ...createdHints(exchange, json, profile.accountPrefix)] : [];
  genericHints(json, null, 0, hints, profile.accountPrefix);
  return hints;
}
