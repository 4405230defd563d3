/**
 * Markdown fences for captured text. Captured text only ever goes inside a fence longer than any
 * backtick run in it, so a body can never close its own block. Partials indent only their first
 * line, so multi-line values are pre-indented here (`indentLater`).
 */

/** A backtick fence longer than every backtick run in `texts` (at least three). */
export function fenceFor(...texts: string[]): string {
  let longest = 0;
  for (const text of texts) {
    for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  }
  return '`'.repeat(Math.max(3, longest + 1));
}

/** Indents every line but the first by `prefix` (the template supplies the first line's indent). */
export function indentLater(text: string, prefix = '    '): string {
  return text.replace(/\n/g, `\n${prefix}`);
}

/** A string safe inside a `title="..."` attribute of a fence. */
export function fenceTitle(text: string): string {
  return text.replace(/"/g, '&quot;').replace(/[\r\n]+/g, ' ');
}

/**
 * pymdownx.snippets runs before fences are parsed, so a captured line that looks like a snippet
 * marker (`--8<-- "file"`) would pull a file into the page. A leading `;` is the extension's escape
 * (it is removed on output, so the line shows as recorded).
 */
export function escapeSnippetMarkers(text: string): string {
  return text.replace(/^([ \t]*)(;*-+8<-+[ \t])/gm, '$1;$2');
}
