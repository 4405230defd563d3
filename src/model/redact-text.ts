/**
 * Credentials inside text: JSON members (also JSON escaped inside a JSON string, as Keystone's
 * credential `blob`), Keystone's token-method auth body, and urlencoded form fields. Edits the text
 * in place (no re-serialisation), so the recorded formatting is kept; a body cut at the body limit
 * in the middle of a secret still has that secret's first part masked.
 */
import { maskPairs, namedValueShown, type Masker } from './redact-policy.js';

/**
 * A string member whose key ends like a credential. The match starts at the key's last word (only
 * keys are followed by `:`), which keeps the regex free of backtracking; the whole key is then read
 * back to its opening quote. The value may be cut (no closing quote) at the end of a stored prefix.
 */
const JSON_MEMBER = /(pass(?:word|wd|phrase|code)?|secret|key|token)"(\s*:\s*)"((?:[^"\\]|\\.)*)("?)/gi;
/** The same inside a JSON string (`"blob": "{\"access\": \"…\", \"secret\": \"…\"}"`). */
const ESCAPED_MEMBER = /(pass(?:word|wd|phrase|code)?|secret|key|token)\\"(\s*:\s*)\\"([^"\\]*)((?:\\")?)/gi;
/** Keystone's token method: `{"auth": {"identity": {"token": {"id": "…"}}}}`. */
const TOKEN_METHOD = /("token"\s*:\s*\{\s*"id"\s*:\s*)"((?:[^"\\]|\\.)*)("?)/g;
const MAYBE_CREDENTIAL = /pass|secret|key|token/i;
const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded';
/** Text shaped like a form body (`a=1&b=2`, no white space). */
const FORM_SHAPED = /^[^\s=&]+=[^\s]*$/;

function unescapeJson(text: string): string {
  try {
    return JSON.parse(`"${text}"`) as string;
  } catch {
    return text;
  }
}

function maskMembers(text: string, pattern: RegExp, quote: string, m: Masker): string {
  return text.replace(pattern, (all: string, word: string, colon: string, value: string, close: string, offset: number) => {
    const keyStart = text.lastIndexOf('"', offset - 1);
    const keyName = text.slice(keyStart + 1, offset).replace(/\\$/, '') + word;
    const shown = namedValueShown(keyName, quote === '"' ? unescapeJson(value) : value, m);
    return shown === null ? all : `${word}${quote}${colon}${quote}${shown}${close}`;
  });
}

/** JSON text (or any text holding JSON members) with credential values masked. */
export function maskJsonText(text: string, m: Masker): string {
  if (!MAYBE_CREDENTIAL.test(text)) return text;
  let out = text.replace(TOKEN_METHOD, (_all, head: string, value: string, close: string) => `${head}"${m.token(unescapeJson(value))}${close}`);
  out = maskMembers(out, JSON_MEMBER, '"', m);
  return out.includes('\\"') ? maskMembers(out, ESCAPED_MEMBER, '\\"', m) : out;
}

/** `password=x` inside running text (a log line, a link): the value ends at white space or a delimiter. */
const TEXT_PAIR = /(^|[\s&?;,(])([A-Za-z0-9_.-]+)=([^\s&;,"'<>)]*)/g;
/** A table row as openstackclient prints it, `| secret | 3c9f… |`, with its value masked if named like a credential. */
function maskTableRow(line: string, m: Masker): string {
  const cells = line.split('|');
  const [before, name, value, after] = cells;
  if (cells.length !== 4 || before?.trim() !== '' || after?.trim() !== '' || name === undefined || value === undefined) return line;
  const text = value.trim();
  const shown = text === '' ? null : namedValueShown(name.trim(), text, m, true);
  return shown === null ? line : `|${name}|${value.replace(text, shown)}|${after}`;
}

/** Running text (the command's output, HTML, logs): `name=value` pairs and table rows. */
function maskPlainText(text: string, m: Masker): string {
  const pairs = text.replace(TEXT_PAIR, (all, sep: string, name: string, value: string) => {
    const shown = value === '' ? null : namedValueShown(name, value, m, true);
    return shown === null ? all : `${sep}${name}=${shown}`;
  });
  if (!pairs.includes('|')) return pairs;
  // Split rather than one multi-line regex: padded cells made that quadratic.
  return pairs.split('\n').map((line) => (line.startsWith('|') ? maskTableRow(line, m) : line)).join('\n');
}

/** A text body: JSON members always, then form fields when it is (or looks like) a form, else `name=value` in text. */
export function maskBodyText(text: string, mediaType: string | null, m: Masker): string {
  if (!MAYBE_CREDENTIAL.test(text)) return text;
  const json = maskJsonText(text, m);
  const form = mediaType === FORM_MEDIA_TYPE || (mediaType === null && FORM_SHAPED.test(json));
  return form ? maskPairs(json, m) : maskPlainText(json, m);
}
