/**
 * Whose token is it? Keystone returns a new token in `X-Subject-Token` with a body describing it
 * (`token.user.name`, and `token.project.name`, `token.system` or `token.domain.name` for its scope),
 * so each distinct token value gets a stable label naming its owner: `{token: admin@admin}`.
 * Tokens seen only in requests (issued before the recording) get `{token: unknown-N}`.
 */
import type { Capture, RawHeaders } from './exchange.js';
import { headerValue, objectAt, parseJsonBody, stringAt, type JsonObject } from './json-body.js';
import { TOKEN_HEADERS } from './redact-policy.js';

/** The token inside a header value: Python clients log bytes as `b'…'`, OAuth puts `Bearer ` first. */
export function tokenInHeaderValue(value: string): string | null {
  const token = value.trim().replace(/^b'(.*)'$/, '$1').replace(/^Bearer\s+/i, '');
  if (/^Basic\s/i.test(value.trim()) || token === '' || token === '***') return null;
  return token;
}

function owner(token: JsonObject): string | null {
  const user = stringAt(objectAt(token, 'user'), 'name');
  if (!user) return null;
  const project = stringAt(objectAt(token, 'project'), 'name');
  if (project) return `${user}@${project}`;
  if (token['system'] !== undefined) return `${user}@system`;
  const domain = stringAt(objectAt(token, 'domain'), 'name');
  return domain ? `${user}@domain:${domain}` : user;
}

function tokensInHeaders(headers: RawHeaders): string[] {
  return headers.flatMap(([name, value]) => {
    const lower = name.toLowerCase();
    if (!TOKEN_HEADERS.has(lower)) return [];
    // `Authorization` carries a token only as Bearer (Basic, AWS4-HMAC-SHA256, … are secrets).
    if (lower === 'authorization' && !/^\s*(?:b')?Bearer\s/i.test(value)) return [];
    const token = tokenInHeaderValue(value);
    return token ? [token] : [];
  });
}

class LabelBook {
  readonly labels = new Map<string, string>();
  private readonly counts = new Map<string, number>();
  private unknown = 0;

  add(token: string, ownerName: string | null): void {
    if (this.labels.has(token)) return;
    const base = ownerName ?? `unknown-${(this.unknown += 1)}`;
    const n = (this.counts.get(base) ?? 0) + 1;
    this.counts.set(base, n);
    this.labels.set(token, n === 1 ? `{token: ${base}}` : `{token: ${base}#${n}}`);
  }
}

/** The token a response issued or described (`X-Subject-Token` plus a `token` body), or null. */
function describedToken(e: Capture['exchanges'][number]): { token: string; body: JsonObject } | null {
  const subject = e.response ? headerValue(e.response.headers, 'X-Subject-Token') : undefined;
  const token = subject ? tokenInHeaderValue(subject) : null;
  const body = token ? objectAt(parseJsonBody(e.response?.body), 'token') : undefined;
  return token && body ? { token, body } : null;
}

/** Token value → label, for every token issued or used in the capture, in first-seen order. */
export function tokenLabels(capture: Capture): Map<string, string> {
  const book = new LabelBook();
  const described = capture.exchanges.flatMap((e) => {
    const d = describedToken(e);
    return d ? [{ ...d, issued: e.request.method === 'POST' }] : [];
  });
  // Issuing responses first; validations (GET) then name tokens issued before the recording.
  for (const d of described) if (d.issued) book.add(d.token, owner(d.body));
  for (const d of described) book.add(d.token, owner(d.body));
  for (const e of capture.exchanges) {
    for (const t of [...tokensInHeaders(e.request.headers), ...tokensInHeaders(e.response?.headers ?? [])]) book.add(t, null);
  }
  return book.labels;
}
