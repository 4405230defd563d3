/**
 * A playbook command as the argv that runs: an argv list with each word expanded; a string split
 * into words as a shell would (quotes, backslashes: shell-quote) but run without one, so pipes and
 * redirections are an error pointing at `shell: true`; or a shell script run by `/bin/sh -c` with
 * each value quoted, so an id with spaces stays one word.
 */
import { parse, quote } from 'shell-quote';
import type { PlaybookCommand } from './playbook.js';
import { expandTemplate, type Lookup } from './playbook-template.js';

/** The shell `shell: true` commands run under. */
export const SHELL = '/bin/sh';

/** A string command's words; `${name}` references are kept for expansion word by word. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  // shell-quote expands $NAME itself: hand each reference back as written.
  for (const entry of parse(text, (name) => `\${${name}}`)) {
    if (typeof entry === 'string') words.push(entry);
    else if ('op' in entry && entry.op === 'glob') words.push(entry.pattern);
    else if ('op' in entry) throw new Error(`"${entry.op}" needs a shell: write the step with shell: true, or as an argv list`);
    // Comments (`# …`) are dropped, as a shell would.
  }
  return words;
}

/** The argv to run, every reference expanded (throws MissingVariable for one without a value). */
export function resolveCommand(spec: PlaybookCommand, lookup: Lookup): string[] {
  if (spec.kind === 'argv') return spec.argv.map((w) => expandTemplate(w, lookup));
  if (spec.kind === 'words') return splitWords(spec.text).map((w) => expandTemplate(w, lookup));
  const quoted: Lookup = (name) => {
    const value = lookup(name);
    return value === undefined ? undefined : quote([value]);
  };
  return [SHELL, '-c', expandTemplate(spec.script, quoted)];
}

/** The command as written, for `--dry-run` and reports. */
export function commandText(spec: PlaybookCommand): string {
  if (spec.kind === 'argv') return quote(spec.argv).replace(/\\\$\\\{([A-Za-z0-9_]+)\\\}/g, '${$1}');
  return spec.kind === 'words' ? spec.text : `sh -c ${quote([spec.script])}`;
}
