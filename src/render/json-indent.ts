/**
 * Pretty-prints JSON text with two-space indentation *without* re-serialising it: strings, escapes
 * and number literals stay exactly as recorded (JSON.stringify would turn `1.0` into `1` and round
 * integers above 2^53), and key order is kept.
 */

/**
 * The body re-indented, or null when it is not a JSON document. `prefix` goes after every line
 * break too (the indent of a block the text goes in, as `indentLater` would add it after).
 */
export function indentJson(text: string, prefix = ''): string | null {
  const trimmed = text.trim();
  if (trimmed === '' || !'{["-0123456789tfn'.includes(trimmed[0] ?? '')) return null;
  try {
    JSON.parse(trimmed);
  } catch {
    return null;
  }
  return reindent(trimmed, prefix);
}

const isSpace = (code: number): boolean => code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
/** Characters that end a literal (number, true, false, null). */
const isDelimiter = (code: number): boolean =>
  isSpace(code) || code === 0x2c || code === 0x3a || code === 0x5d || code === 0x7d;

function skipSpace(text: string, i: number): number {
  let j = i;
  while (j < text.length && isSpace(text.charCodeAt(j))) j += 1;
  return j;
}

/** End index (exclusive) of the string literal starting at `i`. */
function stringEnd(text: string, i: number): number {
  let j = i + 1;
  for (;;) {
    const quote = text.indexOf('"', j);
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 0x5c) backslashes += 1;
    if (backslashes % 2 === 0) return quote + 1;
    j = quote + 1;
  }
}

function reindent(text: string, prefix: string): string {
  let out = '';
  let depth = 0;
  // One string per depth, made once, rather than a fresh indent at every line break.
  const breaks: string[] = [];
  const newline = (): string => (breaks[depth] ??= `\n${prefix}${'  '.repeat(depth)}`);
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    let end = i + 1;
    if (code === 0x22) {
      end = stringEnd(text, i);
      out += text.slice(i, end);
    } else if (code === 0x7b || code === 0x5b) {
      const next = skipSpace(text, i + 1);
      const closer = text.charCodeAt(next);
      if (closer === 0x7d || closer === 0x5d) {
        out += code === 0x7b ? '{}' : '[]'; // parsed above: `{` closes with `}`
        end = next + 1;
      } else {
        depth += 1;
        out += (code === 0x7b ? '{' : '[') + newline();
      }
    } else if (code === 0x7d || code === 0x5d) {
      depth -= 1;
      out += newline() + (code === 0x7d ? '}' : ']');
    } else if (code === 0x2c) out += ',' + newline();
    else if (code === 0x3a) out += ': ';
    else if (!isSpace(code)) {
      while (end < text.length && !isDelimiter(text.charCodeAt(end))) end += 1;
      out += text.slice(i, end);
    }
    i = end;
  }
  return out;
}
