/**
 * Mermaid aliases for participants: short (`keystone-api` → `keystone`), unique, and safe as a
 * mermaid identifier (letters, digits, `_`; never a sequenceDiagram keyword). A profile may give
 * names whose usual short form is not their first word (`openstack-client` → `osc`).
 */
import type { Participant } from './flow.js';

/** sequenceDiagram keywords an alias must not be. */
const RESERVED = new Set([
  'participant', 'actor', 'as', 'note', 'over', 'left', 'right', 'of', 'loop', 'alt', 'else', 'opt', 'par', 'and',
  'end', 'rect', 'critical', 'break', 'option', 'box', 'activate', 'deactivate', 'autonumber', 'title', 'link',
  'links', 'properties', 'details', 'create', 'destroy', 'sequencediagram', 'accdescr', 'acctitle',
]);

function baseAlias(name: string, wellKnown: Readonly<Record<string, string>>): string {
  const known = Object.hasOwn(wellKnown, name) ? wellKnown[name] : undefined;
  if (known) return known;
  const hostPort = /^[^\s/]+:\d+$/.test(name);
  const word = hostPort ? name : (name.split(/[-\s]/).find((w) => w !== '') ?? name);
  let alias = word.replace(/[^A-Za-z0-9_]/g, '_');
  if (alias === '' || /^[0-9_]/.test(alias)) alias = `h${alias}`;
  if (RESERVED.has(alias.toLowerCase())) alias = `${alias}_`;
  return alias;
}

/** Hands out participants by display name, each with an alias unique within the registry. */
export class ParticipantRegistry {
  private readonly byName = new Map<string, Participant>();
  private readonly aliases = new Set<string>();

  /** `wellKnown`: short forms by display name, from the profile. */
  constructor(private readonly wellKnown: Readonly<Record<string, string>> = {}) {}

  /** The participant with this display name, created on first use. */
  get(name: string): Participant {
    const existing = this.byName.get(name);
    if (existing) return existing;
    const base = baseAlias(name, this.wellKnown);
    let alias = base;
    for (let i = 2; this.aliases.has(alias.toLowerCase()); i += 1) alias = `${base}_${i}`;
    const participant: Participant = { alias, name };
    this.aliases.add(alias.toLowerCase());
    this.byName.set(name, participant);
    return participant;
  }
}
