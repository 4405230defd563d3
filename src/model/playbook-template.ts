/**
 * `${name}` references in playbook strings: saved values (`${image_id}`), the playbook's `env`, and
 * the caller's environment (`${OS_PASSWORD}`). `$${` writes a literal `${`. Expansion is one pass:
 * a value that itself contains `${…}` is not expanded again (an id never turns into a reference).
 */

/** A reference's name: what shells and playbooks allow in a variable name. */
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const REFERENCE = /\$\$\{|\$\{([^}]*)\}/g;

/** A reference to a name that has no value (yet). */
export class MissingVariable extends Error {
  constructor(readonly variable: string) {
    super(`\${${variable}} has no value`);
  }
}

/** Looks a name up; undefined when it has no value. */
export type Lookup = (name: string) => string | undefined;

/** Names referenced in `text`, in order, each once; throws on a malformed reference. */
export function referencedNames(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(REFERENCE)) {
    const name = m[1];
    if (name === undefined) continue;
    if (!NAME.test(name)) throw new Error(`\${${name}} is not a variable reference (names are letters, digits and _)`);
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/** `text` with every reference replaced; throws `MissingVariable` for the first name without a value. */
export function expandTemplate(text: string, lookup: Lookup): string {
  referencedNames(text);
  return text.replace(REFERENCE, (whole, name: string | undefined) => {
    if (name === undefined) return '${';
    const value = lookup(name);
    if (value === undefined) throw new MissingVariable(name);
    return value;
  });
}

/** `text` with references kept visible as `{name}` (page titles: the page outlives the value). */
export function templateTitle(text: string): string {
  return text.replace(REFERENCE, (whole, name: string | undefined) => (name === undefined ? '${' : `{${name}}`));
}

/** Whether the whole text is references only (`${OS_PASSWORD}`), the form secrets must take. */
export function isOnlyReferences(text: string): boolean {
  return text.replace(REFERENCE, (whole, name: string | undefined) => (name === undefined ? whole : '')) === '' && text !== '';
}
