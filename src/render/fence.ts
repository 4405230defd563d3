/**
 * Markdown fences for captured text. Captured text only ever goes inside a fence longer than any
 * backtick run in it, so a body can never close its own block. Partials indent only their first
 * line, so multi-line values are pre-indented here (`indentLater`).
 */

/** A backtick fence longer than every backtick run in `texts` (at least three). */
export function fenceFor(...texts: string[]): string {
  let longest = 0;
  for (const text of texts) {
    const runs = new BacktickRuns();
    runs.add(text);
    longest = Math.max(longest, runs.longest);
  }
  return fenceOver(longest);
}

const fenceOver = (longest: number): string => '`'.repeat(Math.max(3, longest + 1));

/** The longest backtick run of a text read chunk by chunk (a run across a chunk's end counts whole). */
export class BacktickRuns {
  private max = 0;
  private carry = 0; // the backtick run the chunks so far end with

  /** The longest run so far. */
  get longest(): number {
    return this.max;
  }

  add(text: string): void {
    if (!text.includes('`')) {
      // the common case, without a regex pass
      if (text) this.carry = 0;
      return;
    }
    const runs = /`+/g;
    for (let m = runs.exec(text); m !== null; m = runs.exec(text)) {
      const run = (m.index === 0 ? this.carry : 0) + m[0].length;
      this.max = Math.max(this.max, run);
      this.carry = m.index + m[0].length === text.length ? run : 0;
    }
    if (!text.endsWith('`')) this.carry = 0;
  }

  /** A backtick fence longer than every run so far (at least three). */
  fence(): string {
    return fenceOver(this.max);
  }
}

/** Indents every line but the first by `prefix` (the template supplies the first line's indent). */
export function indentLater(text: string, prefix = '    '): string {
  // No indent (a body shown outside a block): nothing to replace.
  return prefix !== '' && text.includes('\n') ? text.replaceAll('\n', `\n${prefix}`) : text;
}

/**
 * A string safe inside a `title="..."` attribute of a fence. Most titles have nothing to change:
 * three `includes` found that in a third of the time of the two replaces (or of one regex test).
 */
export function fenceTitle(text: string): string {
  if (!text.includes('"') && !text.includes('\n') && !text.includes('\r')) return text;
  return text.replace(/"/g, '&quot;').replace(/[\r\n]+/g, ' ');
}

/**
 * pymdownx.snippets runs before fences are parsed, so a captured line that is a snippet marker
 * (`--8<-- "file"`, or a bare `--8<--` opening a block of paths) would pull files into the page.
 * A leading `;` stops that: pymdownx ≥ 9.6 treats it as the escape and removes it; older ones
 * (Debian's 9.5) no longer see a marker and show the `;`.
 */
export function escapeSnippetMarkers(text: string): string {
  if (!text.includes('8<')) return text;
  return text.replace(/^([ \t]*)(;*-{2,}8<-{2,}(?:[ \t]|$))/gm, '$1;$2');
}
