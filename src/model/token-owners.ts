/**
 * Token labels: each distinct token value gets a stable label, `{token: admin@admin}` when the
 * profile knows its owner (Keystone's token responses, see profiles/openstack/token-owners.ts),
 * else `{token: unknown-N}` (a token seen only in requests, or a profile that names no owners).
 */
import type { Capture, RawHeaders } from './exchange.js';
import type { Profile } from './profiles/profile.js';
import { TOKEN_HEADERS } from './redact-policy.js';

/** The token inside a header value: Python clients log bytes as `b'…'`, OAuth puts `Bearer ` first. */
export function tokenInHeaderValue(value: string): string | null {
  const token = value.trim().replace(/^b'(.*)'$/, '$1').replace(/^Bearer\s+/i, '');
  if (/^Basic\s/i.test(value.trim()) || token === '' || token === '***') return null;
  return token;
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

/** Token value → label, for every token issued or used in the capture, in first-seen order. */
export function tokenLabels(capture: Capture, profile: Pick<Profile, 'describedTokens'>): Map<string, string> {
  const book = new LabelBook();
  const described = profile.describedTokens(capture);
  // Issuing responses first; validations then name tokens issued before the recording.
  for (const d of described) if (d.issued) book.add(d.token, d.facts.owner);
  for (const d of described) book.add(d.token, d.facts.owner);
  for (const e of capture.exchanges) {
    for (const t of [...tokensInHeaders(e.request.headers), ...tokensInHeaders(e.response?.headers ?? [])]) book.add(t, null);
  }
  return book.labels;
}
