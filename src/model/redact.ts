/**
 * Secrets on the page. `mask` (the default) replaces passwords: string values of JSON keys named
 * like a password or secret (Keystone's `auth.identity.password.user.password`, `client_secret`,
 * Nova's `adminPass`), `password=` form fields, Basic credentials, and password-like `OS_*`
 * variables, all as `***`. `label` also replaces every token value (headers and bodies) with
 * `{token: user@project}` (see `token-owners.ts`). `raw` shows everything as recorded.
 *
 * Only `Body.data` changes: `sizeBytes` and `sha256` still describe the body as it crossed the
 * wire, so the page's binary one-liners and the raw log's sizes stay the recorded truth.
 * Masking edits the text in place (no re-serialisation), keeping the recorded formatting.
 */
import type { Body, Capture, ExchangeRecord, RawHeaders } from './exchange.js';
import { tokenLabels } from './token-owners.js';

/** How secrets appear on the page. */
export type SecretsMode = 'mask' | 'label' | 'raw';

export const MASK = '***';

/**
 * A JSON member whose key ends like a password/secret, with a string value. The match starts at
 * the key's last word (only keys are followed by `:`), which keeps the regex free of backtracking.
 */
const JSON_SECRET = /((?:password|passwd|secret|adminPass)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;
/** A form field (`password=…`, `client_secret=…`) in an urlencoded body. */
const FORM_SECRET = /((?:^|&)[^=&{"]*(?:password|passwd|secret)=)[^&]*/gi;
const MAYBE_SECRET = /pass|secret/i;
/** Environment variables holding a secret (`OS_PASSWORD`, `OS_TOKEN`, `OS_CLIENT_SECRET`). */
const ENV_SECRET = /(PASSWORD|PASSWD|SECRET|TOKEN|_KEY)$/i;
/** Headers that carry a password rather than a token. */
const PASSWORD_HEADERS = new Set(['x-auth-key', 'x-storage-pass']);

/** Masks passwords in a text body (JSON members and form fields). */
export function maskPasswords(text: string): string {
  // Cheap pre-check: almost no body mentions a password.
  if (!MAYBE_SECRET.test(text)) return text;
  const masked = text.replace(JSON_SECRET, `$1"${MASK}"`);
  return /^\s*[[{]/.test(masked) ? masked : masked.replace(FORM_SECRET, `$1${MASK}`);
}

/** Whether an environment variable's name says it holds a secret (`OS_PASSWORD`, `OS_TOKEN`). */
export function isSecretVariable(name: string): boolean {
  return ENV_SECRET.test(name);
}

/** The environment with secret-looking values masked. */
export function redactEnvironment(env: Record<string, string>, mode: SecretsMode): Record<string, string> {
  if (mode === 'raw') return { ...env };
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, isSecretVariable(k) ? MASK : v]));
}

type Rewrite = (text: string) => string;

/** A command-line option whose value is a password or secret (`--os-password X`, `--password=X`). */
const ARG_SECRET = /^--?[\w-]*(?:password|passwd|secret)$/i;

/** The argv with the values of password/secret options masked (`--os-password X`, `--os-password=X`). */
export function maskSecretArgs(argv: string[]): string[] {
  return argv.map((arg, i) => {
    const eq = arg.indexOf('=');
    if (arg.startsWith('-') && eq > 0 && ARG_SECRET.test(arg.slice(0, eq))) return `${arg.slice(0, eq)}=${MASK}`;
    const prev = argv[i - 1];
    return i > 0 && prev !== undefined && ARG_SECRET.test(prev) ? MASK : arg;
  });
}

/** The headers with secrets replaced; the same array when nothing changed (no copy per exchange). */
function rewriteHeaders(headers: RawHeaders, mode: SecretsMode, labelTokens: Rewrite): RawHeaders {
  let out: RawHeaders | null = null;
  headers.forEach(([name, value], i) => {
    const shown = headerShown(name, value, mode, labelTokens);
    if (shown === value) return;
    out ??= headers.slice();
    out[i] = [name, shown];
  });
  return out ?? headers;
}

function headerShown(name: string, value: string, mode: SecretsMode, labelTokens: Rewrite): string {
  const lower = name.toLowerCase();
  if (PASSWORD_HEADERS.has(lower)) return MASK;
  if ((lower === 'authorization' || lower === 'proxy-authorization') && /^\s*Basic\s/i.test(value)) return `Basic ${MASK}`;
  return mode === 'label' ? labelTokens(value) : value;
}

function rewriteBody(body: Body, rewrite: Rewrite): Body {
  if (body.encoding !== 'utf8' || body.data === '') return body;
  const data = rewrite(body.data);
  return data === body.data ? body : { ...body, data };
}

/** Token characters: Fernet and JWS tokens are URL-safe base64 with `.` and `=` padding. */
const TOKEN_SHAPE = /^[A-Za-z0-9_.~-]+=*$/;

/**
 * Replaces every known token value in one pass over the text: runs of token characters at least
 * as long as the shortest token are looked up in the map (tokens are long, so few runs qualify).
 * Tokens of another shape fall back to a search each, longest first.
 */
function tokenReplacer(labels: Map<string, string>): Rewrite {
  const shaped = [...labels.keys()].filter((t) => TOKEN_SHAPE.test(t));
  const odd = [...labels.keys()].filter((t) => !TOKEN_SHAPE.test(t)).sort((a, b) => b.length - a.length);
  const shortest = Math.min(...shaped.map((t) => t.replace(/=+$/, '').length));
  // The lookbehind starts runs only at their first character: no rescanning inside a run.
  const runs = shaped.length > 0 ? new RegExp(`(?<![A-Za-z0-9_.~-])[A-Za-z0-9_.~-]{${shortest},}=*`, 'g') : null;
  return (text) => {
    let out = runs ? text.replace(runs, (run) => labels.get(run) ?? run) : text;
    for (const t of odd) if (out.includes(t)) out = out.split(t).join(labels.get(t) ?? MASK);
    return out;
  };
}

/** One side of an exchange with secrets replaced; the same object when nothing changed. */
function redactMessage<M extends { headers: RawHeaders; body: Body }>(m: M, mode: SecretsMode, labelTokens: Rewrite, bodyRewrite: Rewrite): M {
  const headers = rewriteHeaders(m.headers, mode, labelTokens);
  const body = rewriteBody(m.body, bodyRewrite);
  return headers === m.headers && body === m.body ? m : { ...m, headers, body };
}

/** Copy-on-write: only exchanges holding a secret are copied (most hold none). */
function redactExchange(e: ExchangeRecord, mode: SecretsMode, labelTokens: Rewrite): ExchangeRecord {
  const bodyRewrite: Rewrite = mode === 'label' ? (t) => labelTokens(maskPasswords(t)) : maskPasswords;
  const request = redactMessage(e.request, mode, labelTokens, bodyRewrite);
  const response = e.response ? redactMessage(e.response, mode, labelTokens, bodyRewrite) : null;
  if (request === e.request && response === e.response) return e;
  return { ...e, request, response } as ExchangeRecord;
}

/** The rewrite of token values: labels in `label` mode, the identity otherwise. */
function tokenRewrite(capture: Capture, mode: SecretsMode): Rewrite {
  return mode === 'label' ? tokenReplacer(tokenLabels(capture)) : (t: string) => t;
}

/** The header and trailer under `mode`, given the token rewrite. */
function redactFrameWith(capture: Capture, mode: SecretsMode, labelTokens: Rewrite): Pick<Capture, 'header' | 'trailer'> {
  const stdoutRewrite: Rewrite = (t) => labelTokens(maskPasswords(t));
  const trailer = capture.trailer && capture.trailer.stdout
    ? { ...capture.trailer, stdout: rewriteBody(capture.trailer.stdout, stdoutRewrite) }
    : capture.trailer;
  const { argv, environment } = capture.header;
  // Tokens in the environment are masked by name; a token passed as an argument (`--os-token`) is labelled.
  const header = { ...capture.header, argv: argv && maskSecretArgs(argv).map(labelTokens), environment: redactEnvironment(environment, mode) };
  return { header, trailer };
}

/**
 * The capture's header (command line, environment) and trailer (the command's output) as the page
 * may show them under `mode`: what the page prints beside the arrows, redacted like them.
 */
export function redactFrame(capture: Capture, mode: SecretsMode): Pick<Capture, 'header' | 'trailer'> {
  if (mode === 'raw') return { header: capture.header, trailer: capture.trailer };
  return redactFrameWith(capture, mode, tokenRewrite(capture, mode));
}

/** The capture as the page may show it under `mode` (a new object; the input is not changed). */
export function redactCapture(capture: Capture, mode: SecretsMode): Capture {
  if (mode === 'raw') return capture;
  const labelTokens = tokenRewrite(capture, mode);
  return {
    ...capture,
    ...redactFrameWith(capture, mode, labelTokens),
    exchanges: capture.exchanges.map((e) => redactExchange(e, mode, labelTokens)),
  };
}
