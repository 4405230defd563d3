/**
 * The secrets policy: which names and places hold a secret or a token, and what each becomes. The
 * recorder (argv, `source.cmdline`, environment) and the renderer (redact.ts, over the whole capture)
 * both decide through this module, so the capture and the page can never disagree on what a secret is.
 *
 * Two kinds of credential:
 * - a *secret* (password, application-credential or EC2 secret, API key, cookie, Basic credentials)
 *   is always `***` unless `--secrets raw`;
 * - a *token*. Keystone's token headers (`X-Auth-Token`, `X-Subject-Token`, `X-Service-Token`,
 *   `X-Storage-Token`) stay visible in `mask` mode, as the reference page shows them; a token anywhere
 *   else (`Authorization: Bearer`, `?token=`, `--os-token`, the token-method auth body) is `***` in
 *   `mask` mode. `label` mode shows every token as `{token: user@project}` (token-owners.ts).
 */

/** What a masked value is replaced with. */
export const MASK = '***';

/** What a rule does with a credential it recognised; returns what is shown instead. */
export interface Masker {
  /** A password, secret, key or cookie value. */
  secret(value: string): string;
  /** A token outside Keystone's token headers. */
  token(value: string): string;
}

/** Masks both kinds: what the recorder stores for argv and the environment. */
export const MASK_ALL: Masker = { secret: () => MASK, token: () => MASK };

/** Names ending in a secret word: `password`, `client_secret`, `secret_key`, `X-Auth-Key`, `X-Storage-Pass`. */
const SECRET_WORD = /(?:^|[^a-z])(?:pass(?:word|wd|phrase|code)?|secret|key)$|(?:password|passwd|secret)$/;
/** camelCase names ending in a secret word: Nova's `adminPass`, `apiKey`. */
const CAMEL_SECRET = /[a-z](?:Pass|Passcode|Key)$/;
/** Public keys are published on purpose (Nova keypairs). */
const PUBLIC_KEY = /(?:^|[^a-z])public[^a-z]?key$/;

/** Whether a JSON key, form field, header or option name names a secret (`OS_PASSWORD`, `api_key`). */
export function isSecretName(name: string): boolean {
  const lower = name.toLowerCase();
  if (PUBLIC_KEY.test(lower)) return false;
  return SECRET_WORD.test(lower) || CAMEL_SECRET.test(name);
}

/** Whether a name names a token (`token`, `access_token`, `X-Auth-Token`, `OS_TOKEN`, `--os-token`). */
export function isTokenName(name: string): boolean {
  return name.toLowerCase().endsWith('token');
}

/** Query parameters that grant access by themselves: pre-signed URLs (`temp_url_sig`, `X-Amz-Signature`). */
export function isSignatureName(name: string): boolean {
  return /(?:^|[^a-z])(?:sig|signature)$/.test(name.toLowerCase());
}

/** Environment variables whose values never reach a capture or a page (`OS_PASSWORD`, `OS_TOKEN`). */
export function isSecretVariable(name: string): boolean {
  return isSecretName(name) || isTokenName(name);
}

/** Keystone's token headers: visible in `mask` mode, labelled in `label` mode. */
export const KEYSTONE_TOKEN_HEADERS: ReadonlySet<string> = new Set(['x-auth-token', 'x-subject-token', 'x-service-token', 'x-storage-token']);

/** Every header that may carry a token (what `label` mode names after its owner). */
export const TOKEN_HEADERS: ReadonlySet<string> = new Set([...KEYSTONE_TOKEN_HEADERS, 'authorization']);

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/**
 * The value of a field named `name` (JSON member, form field, option, table row) as shown, or null
 * when the name holds no credential. `signatures`: also pre-signed URL signatures (query strings, text).
 */
export function namedValueShown(name: string, value: string, m: Masker, signatures = false): string | null {
  if (isSecretName(name) || (signatures && isSignatureName(name))) return m.secret(value);
  return isTokenName(name) ? m.token(value) : null;
}

/** `a=1&password=x&token=y` with credential values masked (form bodies and query strings). */
export function maskPairs(text: string, m: Masker, signatures = false): string {
  return text.replace(/(^|&)([^=&]*)=([^&]*)/g, (all, sep: string, name: string, value: string) => {
    const shown = namedValueShown(safeDecode(name), safeDecode(value), m, signatures);
    return shown === null ? all : `${sep}${name}=${shown}`;
  });
}

/** A URL with the password of its userinfo and credential query values masked. */
export function maskUrl(url: string, m: Masker): string {
  const withUser = url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@?#:]*:)([^/@?#]*)@/i, (_all, head: string, pass: string) => `${head}${m.secret(safeDecode(pass))}@`);
  const q = withUser.indexOf('?');
  if (q < 0) return withUser;
  const hash = withUser.indexOf('#', q);
  const end = hash < 0 ? withUser.length : hash;
  return withUser.slice(0, q + 1) + maskPairs(withUser.slice(q + 1, end), m, true) + withUser.slice(end);
}

/** `Basic base64(user:pass)`: the credential and, decoded, the password (so copies elsewhere are found). */
function maskBasic(credential: string, m: Masker): string {
  const decoded = Buffer.from(credential, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon >= 0) m.secret(decoded.slice(colon + 1));
  return m.secret(credential);
}

/** An `Authorization` value: Basic and other schemes are secrets, Bearer is a token. */
function maskAuthorization(value: string, m: Masker): string {
  const match = /^(\s*)(\S+)(\s+)(.*)$/s.exec(value);
  if (!match) return m.secret(value);
  const [, lead = '', scheme = '', gap = '', credential = ''] = match;
  const lower = scheme.toLowerCase();
  const shown = lower === 'bearer' ? m.token(credential) : lower === 'basic' ? maskBasic(credential, m) : m.secret(credential);
  return `${lead}${scheme}${gap}${shown}`;
}

/** `Cookie: a=1; b=2` (every value) or `Set-Cookie: a=1; Path=/` (the first pair's value). */
function maskCookie(value: string, m: Masker, all: boolean): string {
  return value.replace(all ? /(^|;\s*)([^=;]+)=([^;]*)/g : /^(\s*)([^=;]+)=([^;]*)/, (_x, sep: string, name: string, v: string) => `${sep}${name}=${m.secret(v)}`);
}

/** A header value as shown: Keystone's token headers untouched (they are `label` mode's business). */
export function maskHeader(name: string, value: string, m: Masker): string {
  const lower = name.toLowerCase();
  if (KEYSTONE_TOKEN_HEADERS.has(lower)) return value;
  if (lower === 'authorization' || lower === 'proxy-authorization') return maskAuthorization(value, m);
  if (lower === 'cookie') return maskCookie(value, m, true);
  if (lower === 'set-cookie') return maskCookie(value, m, false);
  if (isSecretName(lower)) return m.secret(value);
  if (isTokenName(lower)) return m.token(value);
  if (lower === 'location' || lower === 'content-location' || lower === 'referer') return maskUrl(value, m);
  return value;
}
