/**
 * Secrets over a whole capture, as the page, the log, launch.json and exports (HAR) show it. What
 * counts as a secret or a token is redact-policy.ts (shared with the recorder); this module applies
 * it everywhere in two passes:
 * 1. every known place (header, JSON member, form field, query value, option, variable) is masked,
 *    and each secret value found is remembered;
 * 2. copies of those secrets anywhere else (the command's output printing an application credential's
 *    secret, a password echoed in a URL) are masked too, and in `label` mode every token value is
 *    replaced by its owner's label (token-owners.ts).
 *
 * Only `Body.data` changes: `sizeBytes` and `sha256` still describe the body as it crossed the
 * wire, so the page's binary one-liners and the raw log's sizes stay the recorded truth.
 */
import type { Body, Capture, ExchangeRecord, HeaderRecord, RawHeaders, TrailerRecord } from './exchange.js';
import { maskArgv } from './redact-argv.js';
import { isSecretName, isSecretVariable, isTokenName, MASK, maskHeader, maskUrl, type Masker } from './redact-policy.js';
import { maskBodyText } from './redact-text.js';
import { profileFor } from './profiles/choose.js';
import type { Profile } from './profiles/profile.js';
import { tokenLabels } from './token-owners.js';

export { MASK } from './redact-policy.js';

/** How secrets appear on the page. */
export type SecretsMode = 'mask' | 'label' | 'raw';

type Rewrite = (text: string) => string;

/** Shorter secrets are masked only where they are recognised: a short word swept everywhere would eat the page. */
const SWEPT_MIN_LENGTH = 8;

/** The masker of pass 1: tokens become labels in `label` mode; secrets are collected for pass 2. */
function collectingMasker(mode: SecretsMode, labels: Map<string, string>, found: Set<string>): Masker {
  return {
    secret(value) {
      if (value.length >= SWEPT_MIN_LENGTH && value !== MASK) found.add(value);
      return MASK;
    },
    token: (value) => (mode === 'label' ? labels.get(value) ?? MASK : MASK),
  };
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Pass 2's rewrite of secret copies: whole words only (not inside a longer run of letters or digits). */
function secretSweeper(found: Set<string>): Rewrite {
  const forms = new Set<string>();
  for (const s of found) forms.add(s).add(JSON.stringify(s).slice(1, -1));
  if (forms.size === 0) return (t) => t;
  const alternatives = [...forms].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|');
  const pattern = new RegExp(`(?<![A-Za-z0-9])(?:${alternatives})(?![A-Za-z0-9])`, 'g');
  return (text) => text.replace(pattern, MASK);
}

/** Token characters: Fernet and JWS tokens are URL-safe base64 with `.` and `=` padding. */
const TOKEN_SHAPE = /^[A-Za-z0-9_.~-]+=*$/;

/**
 * Replaces every known token value in one pass over the text: runs of token characters at least
 * as long as the shortest token are looked up in the map (tokens are long, so few runs qualify).
 * Tokens of another shape fall back to a search each, longest first.
 */
function tokenReplacer(labels: Map<string, string>): Rewrite {
  if (labels.size === 0) return (t) => t;
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

/** A capture's parts run through one rewrite per kind of place; unchanged parts are the same objects. */
interface Rewrites {
  header: (name: string, value: string) => string;
  url: Rewrite;
  body: (text: string, mediaType: string | null) => string;
  argv: (argv: string[]) => string[];
  variable: (name: string, value: string) => string;
}

function rewriteHeaders(headers: RawHeaders, r: Rewrites): RawHeaders {
  let out: RawHeaders | null = null;
  headers.forEach(([name, value], i) => {
    const shown = r.header(name, value);
    if (shown === value) return;
    out ??= headers.slice();
    out[i] = [name, shown];
  });
  return out ?? headers;
}

function rewriteBody(body: Body, r: Rewrites): Body {
  if (body.encoding !== 'utf8' || body.data === '') return body;
  const data = r.body(body.data, body.mediaType);
  return data === body.data ? body : { ...body, data };
}

function rewriteMessage<M extends { headers: RawHeaders; body: Body }>(m: M, r: Rewrites): M {
  const headers = rewriteHeaders(m.headers, r);
  const body = rewriteBody(m.body, r);
  return headers === m.headers && body === m.body ? m : { ...m, headers, body };
}

function sameWords(a: string[], b: string[]): boolean {
  return a.every((w, i) => w === b[i]);
}

/** Copy-on-write: only exchanges holding a secret are copied (most hold none). */
function rewriteExchange(e: ExchangeRecord, r: Rewrites): ExchangeRecord {
  const url = r.url(e.request.url);
  const request = rewriteMessage(url === e.request.url ? e.request : { ...e.request, url }, r);
  const response = e.response ? rewriteMessage(e.response, r) : null;
  const cmdline = e.source.kind === 'process' ? r.argv(e.source.cmdline) : null;
  const source = e.source.kind === 'process' && cmdline && !sameWords(cmdline, e.source.cmdline) ? { ...e.source, cmdline } : e.source;
  if (request === e.request && response === e.response && source === e.source) return e;
  return { ...e, request, response, source } as ExchangeRecord;
}

function rewriteFrame(header: HeaderRecord, trailer: TrailerRecord | null, r: Rewrites): Pick<Capture, 'header' | 'trailer'> {
  const argv = header.argv && r.argv(header.argv);
  const environment = Object.fromEntries(Object.entries(header.environment).map(([k, v]) => [k, r.variable(k, v)]));
  const shownHeader = { ...header, argv: argv && sameWords(argv, header.argv ?? []) ? header.argv : argv, environment };
  const shownTrailer = trailer?.stdout ? { ...trailer, stdout: rewriteBody(trailer.stdout, r) } : trailer;
  return { header: shownHeader, trailer: shownTrailer };
}

/** Pass 1: every known place masked; the secrets found are added to `found`. */
function placeRewrites(m: Masker): Rewrites {
  // URLs repeat (token checks, polling); a masker gives the same answer, and finds the same
  // secrets, every time it is asked about the same value.
  const urls = new Map<string, string>();
  return {
    header: (name, value) => maskHeader(name, value, m),
    url: (url) => {
      let shown = urls.get(url);
      if (shown === undefined) urls.set(url, (shown = maskUrl(url, m)));
      return shown;
    },
    body: (text, mediaType) => maskBodyText(text, mediaType, m),
    argv: (argv) => maskArgv(argv, m),
    variable: (name, value) => {
      if (isSecretName(name)) return m.secret(value);
      return isTokenName(name) ? m.token(value) : maskUrl(value, m);
    },
  };
}

/** Pass 2: secret copies swept and, in `label` mode, tokens labelled, in every string. */
function copyRewrites(sweep: Rewrite): Rewrites {
  const words = (argv: string[]): string[] => {
    const shown = argv.map(sweep);
    return sameWords(shown, argv) ? argv : shown;
  };
  return { header: (_name, value) => sweep(value), url: sweep, body: (text) => sweep(text), argv: words, variable: (_name, value) => sweep(value) };
}

/** Captures are not changed once read: the timeline and the page frame share one redaction. */
const redacted = new WeakMap<Capture, Map<string, Capture>>();

/**
 * The capture as the page (and any export, e.g. HAR) may show it under `mode`: URLs, headers,
 * bodies, `source.cmdline`, argv, environment and output redacted. A new object; the input is not
 * changed. The same capture, mode and profile give the same (cached) object. The profile (chosen
 * from the capture when not given) only names the tokens' owners in `label` mode.
 */
export function redactCapture(capture: Capture, mode: SecretsMode, chosen?: Profile | null): Capture {
  if (mode === 'raw') return capture;
  // Only labels depend on the profile: `mask` never asks for one (nor detects it).
  const profile = mode === 'label' ? profileFor(capture, chosen) : null;
  const byMode = redacted.get(capture) ?? new Map<string, Capture>();
  redacted.set(capture, byMode);
  const key = profile ? `${mode} ${profile.name}` : mode;
  const known = byMode.get(key);
  if (known) return known;
  const shown = redactAll(capture, mode, profile);
  byMode.set(key, shown);
  return shown;
}

function redactAll(capture: Capture, mode: SecretsMode, profile: Profile | null): Capture {
  const labels = profile ? tokenLabels(capture, profile) : new Map<string, string>();
  const found = new Set<string>();
  const places = placeRewrites(collectingMasker(mode, labels, found));
  const placed = { ...capture, ...rewriteFrame(capture.header, capture.trailer, places), exchanges: capture.exchanges.map((e) => rewriteExchange(e, places)) };
  if (found.size === 0 && labels.size === 0) return placed; // pass 2 would change nothing
  const sweepSecrets = secretSweeper(found);
  const labelTokens = tokenReplacer(labels);
  const copies = copyRewrites((text) => labelTokens(sweepSecrets(text)));
  return {
    ...capture,
    ...rewriteFrame(placed.header, placed.trailer, copies),
    exchanges: placed.exchanges.map((e) => rewriteExchange(e, copies)),
  };
}

/**
 * The capture's header (command line, environment) and trailer (the command's output) as the page
 * may show them under `mode`: what the page prints beside the arrows, redacted like them.
 */
export function redactFrame(capture: Capture, mode: SecretsMode, profile?: Profile | null): Pick<Capture, 'header' | 'trailer'> {
  const { header, trailer } = redactCapture(capture, mode, profile);
  return { header, trailer };
}

/**
 * One exchange as `redactCapture` shows it: copies of secrets found anywhere in `capture` and token
 * labels included. An exchange not in `capture` is redacted with the capture's frame as context.
 */
export function redactExchange(capture: Capture, exchange: ExchangeRecord, mode: SecretsMode, profile?: Profile | null): ExchangeRecord {
  const i = capture.exchanges.indexOf(exchange);
  const context = i < 0 ? { ...capture, exchanges: [...capture.exchanges, exchange] } : capture;
  // The profile is the capture's, not the context's (a copy would be detected again).
  const shown = redactCapture(context, mode, mode === 'label' ? profileFor(capture, profile) : null).exchanges[i < 0 ? capture.exchanges.length : i];
  if (!shown) throw new Error('redactExchange: the exchange was lost'); // cannot happen: same length
  return shown;
}

/** The environment with secret variables masked (`OS_PASSWORD`, `OS_TOKEN`) unless `raw`. */
export function redactEnvironment(env: Record<string, string>, mode: SecretsMode): Record<string, string> {
  if (mode === 'raw') return { ...env };
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, isSecretVariable(k) ? MASK : v]));
}

/** Passwords and secrets in a text body masked (what `mask` mode does to a body on its own). */
export function maskPasswords(text: string): string {
  return maskBodyText(text, null, collectingMasker('mask', new Map(), new Set()));
}
