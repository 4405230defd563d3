/**
 * Credentials on a command line: the values of password/secret/token options (`--os-password X`,
 * `--os-token=X`, `--os-application-credential-secret X`), curl's `-u user:pass`, `-H 'Name: value'`
 * and `-d` bodies, and URLs with credentials. The shape is kept (one word per word), so the page
 * still shows the command as it was typed.
 */
import { KEYSTONE_TOKEN_HEADERS, maskHeader, maskUrl, namedValueShown, type Masker } from './redact-policy.js';
import { maskBodyText } from './redact-text.js';

const HEADER_OPTIONS = new Set(['-H', '--header', '--proxy-header']);
const USER_OPTIONS = new Set(['-u', '--user', '-U', '--proxy-user']);
const DATA_OPTIONS = new Set(['-d', '--data', '--data-raw', '--data-binary', '--data-urlencode', '--json', '-F', '--form']);

/** `Name: value` given to `-H`; any token in it is masked too (argv has no Keystone exception). */
function maskHeaderArg(value: string, m: Masker): string {
  const colon = value.indexOf(':');
  if (colon <= 0) return value;
  const name = value.slice(0, colon);
  const rest = value.slice(colon + 1);
  const lead = /^\s*/.exec(rest)?.[0] ?? '';
  const shown = KEYSTONE_TOKEN_HEADERS.has(name.trim().toLowerCase()) ? m.token(rest.slice(lead.length)) : maskHeader(name.trim(), rest.slice(lead.length), m);
  return `${name}:${lead}${shown}`;
}

/** The value of `option` as shown, or null when the option holds no credential. */
function maskOptionValue(option: string, value: string, m: Masker): string | null {
  if (HEADER_OPTIONS.has(option)) return maskHeaderArg(value, m);
  if (USER_OPTIONS.has(option)) {
    const colon = value.indexOf(':');
    return colon < 0 ? null : `${value.slice(0, colon + 1)}${m.secret(value.slice(colon + 1))}`;
  }
  if (DATA_OPTIONS.has(option)) return maskBodyText(value, null, m);
  return namedValueShown(option.replace(/^-+/, ''), value, m);
}

/** The argv with credentials masked, word for word. */
export function maskArgv(argv: readonly string[], m: Masker): string[] {
  return argv.map((arg, i) => {
    const prev = i > 0 ? argv[i - 1] : undefined;
    if (prev !== undefined && prev.startsWith('-') && !prev.includes('=')) {
      const shown = maskOptionValue(prev, arg, m);
      if (shown !== null) return shown;
    }
    const eq = arg.indexOf('=');
    if (arg.startsWith('-') && eq > 0) {
      const shown = maskOptionValue(arg.slice(0, eq), arg.slice(eq + 1), m);
      if (shown !== null) return `${arg.slice(0, eq)}=${shown}`;
    }
    return arg.includes('://') ? maskUrl(arg, m) : arg;
  });
}
