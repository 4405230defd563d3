/**
 * The site's `mkdocs.yml`: the config flowscribe writes when there is none, and the edits it makes
 * to one that exists (the nav, `site_name`, `theme.language`). The file is parsed with the `yaml`
 * Document API only to find where each edited node sits; the new text is spliced in at that source
 * range, so everything else (comments, other keys, `!!python/name:` tags, quoting) stays byte for
 * byte. New YAML is written as YAML 1.1 (what mkdocs' PyYAML reads: `yes`/`on` get quoted).
 * Pure: text in, text out. The config works with Debian's mkdocs 1.4.2 + mkdocs-material 8.2.5.
 */
import { Document, isMap, isScalar, isSeq, parseDocument, type Node, type Pair, type YAMLMap } from 'yaml';
import { UserError } from '../errors.js';

/** Scripts every page loads, relative to the docs dir: mermaid from npm, then our init script. */
export const SITE_SCRIPTS = {
  /** Copy of `mermaid/dist/mermaid.min.js` (the IIFE build: one file, no chunks to fetch). */
  mermaid: 'assets/javascripts/mermaid.min.js',
  /** Renders `pre.flowscribe-mermaid` blocks (see assets/mermaid-init.js). */
  init: 'assets/javascripts/flowscribe-mermaid.js',
  /** Copy of `svg-pan-zoom/dist/svg-pan-zoom.min.js`; the init script loads it beside itself (not in extra_javascript). */
  panZoom: 'assets/javascripts/svg-pan-zoom.min.js',
} as const;

/** The class of ```mermaid fences: not `mermaid`, so material 8.2.5's mermaid 8/9 code leaves them alone. */
export const MERMAID_FENCE_CLASS = 'flowscribe-mermaid';

/** One nav entry: a page (titled or not), a section of entries, or anything else kept as it was (a link). */
export type NavItem =
  | { kind: 'page'; title: string | null; path: string }
  | { kind: 'section'; title: string; items: NavItem[] }
  | { kind: 'other'; value: unknown };

/** A titled page (the form `flowscribe site` writes). */
export interface NavEntry {
  title: string;
  path: string;
}

/** What to change in an existing config; absent fields are left alone. */
export interface ConfigEdits {
  /** The new nav from the current one. */
  nav?: (current: NavItem[]) => NavItem[];
  siteName?: string;
  /** `theme.language` (mkdocs-material's interface language). */
  language?: string;
}

const NAV_COMMENT = '# Written by flowscribe (site, playbook): its pages; other entries are kept.';

export function pageItems(entries: NavEntry[]): NavItem[] {
  return entries.map((e) => ({ kind: 'page', title: e.title, path: e.path }));
}

/** The mkdocs.yml flowscribe creates when the project has none. */
export function defaultMkdocsConfig(docsDir: string, nav: NavItem[], edits: Omit<ConfigEdits, 'nav'> = {}): string {
  const language = edits.language ? `  language: ${yamlScalar(edits.language)}\n` : '';
  return `site_name: ${yamlScalar(edits.siteName ?? 'flowscribe')}
site_description: HTTP traffic of commands, recorded and rendered by flowscribe
docs_dir: ${yamlScalar(docsDir)}
site_dir: site
theme:
  name: material
${language}  # No web fonts: the site must read with no internet at hand.
  font: false
markdown_extensions:
  - admonition
  - toc:
      permalink: true
  - pymdownx.details
  - pymdownx.tabbed:
      alternate_style: true
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: ${MERMAID_FENCE_CLASS}
          format: !!python/name:pymdownx.superfences.fence_code_format
  - pymdownx.snippets:
      # Raw-log includes (--8<-- "logs/x.log") are relative to the docs dir; run mkdocs from here.
      base_path: ${yamlScalar(docsDir)}
      check_paths: true
extra_javascript:
  - ${SITE_SCRIPTS.mermaid}
  - ${SITE_SCRIPTS.init}
${NAV_COMMENT}
${renderNav(nav)}`;
}

/** A YAML 1.1 scalar as mkdocs' PyYAML reads it back: bare when safe, else quoted. */
export function yamlScalar(value: string): string {
  return new Document(value, { version: '1.1' }).toString({ lineWidth: 0 }).replace(/\n$/, '');
}

function navValue(item: NavItem): unknown {
  if (item.kind === 'other') return item.value;
  if (item.kind === 'page') return item.title === null ? item.path : { [item.title]: item.path };
  return { [item.title]: item.items.map(navValue) };
}

/** The `nav:` block (LF, final newline). */
export function renderNav(nav: NavItem[]): string {
  return new Document({ nav: nav.map(navValue) }, { version: '1.1' }).toString({ lineWidth: 0 });
}

function parse(configText: string, configPath: string) {
  const doc = parseDocument(configText, { version: '1.1', uniqueKeys: false });
  const first = doc.errors[0];
  if (first) throw new UserError(`${configPath}: not valid YAML (${first.message.split('\n')[0] ?? ''})`);
  if (doc.contents !== null && !isMap(doc.contents)) throw new UserError(`${configPath}: the config must be a mapping`);
  return doc;
}

function topPair(map: YAMLMap | null, key: string): Pair<Node, Node | null> | undefined {
  const items = (map?.items ?? []) as Array<Pair<Node, Node | null>>;
  return items.find((p) => isScalar(p.key) && p.key.value === key);
}

function toNavItem(value: unknown): NavItem {
  if (typeof value === 'string') return { kind: 'page', title: null, path: value };
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 1) {
    const [title, inner] = Object.entries(value as Record<string, unknown>)[0] ?? [];
    if (typeof title === 'string' && typeof inner === 'string' && !/^[a-z]+:\/\//i.test(inner)) return { kind: 'page', title, path: inner };
    if (typeof title === 'string' && Array.isArray(inner)) return { kind: 'section', title, items: inner.map(toNavItem) };
  }
  return { kind: 'other', value };
}

/** The config's nav as items (empty when it has none). */
export function readNav(configText: string, configPath = 'mkdocs.yml'): NavItem[] {
  const value = topPair(parse(configText, configPath).contents as YAMLMap | null, 'nav')?.value;
  return isSeq(value) ? (value.toJSON() as unknown[]).map(toNavItem) : [];
}

/** The config's top-level `docs_dir` (mkdocs' default is `docs`). */
export function readDocsDir(configText: string, configPath = 'mkdocs.yml'): string {
  const value = topPair(parse(configText, configPath).contents as YAMLMap | null, 'docs_dir')?.value;
  return isScalar(value) && typeof value.value === 'string' ? value.value : 'docs';
}

/** A text edit: replace [start, end) with text. */
interface Splice {
  start: number;
  end: number;
  text: string;
}

function applySplices(text: string, splices: Splice[]): string {
  let out = text;
  for (const s of [...splices].sort((a, b) => b.start - a.start)) out = out.slice(0, s.start) + s.text + out.slice(s.end);
  return out;
}

/** Text appended at the end of the file, after a newline if the file lacks its last one. */
function append(text: string, block: string): Splice {
  const sep = text === '' || text.endsWith('\n') ? '' : '\n';
  return { start: text.length, end: text.length, text: sep + block };
}

function navSplice(text: string, map: YAMLMap | null, nav: NavItem[]): Splice {
  const pair = topPair(map, 'nav');
  const block = renderNav(nav);
  if (!pair) return append(text, `${NAV_COMMENT}\n${block}`);
  const start = (pair.key as Node).range?.[0] ?? 0;
  const end = pair.value?.range?.[1] ?? (pair.key as Node).range?.[2] ?? start;
  // A block list's range takes its last newline; a flow list's (`nav: []`) does not.
  return { start, end, text: text.slice(start, end).endsWith('\n') ? block : block.replace(/\n$/, '') };
}

function scalarSplice(node: Node, value: string): Splice {
  const [start = 0, end = 0] = node.range ?? [];
  return { start, end, text: yamlScalar(value) };
}

function siteNameSplice(map: YAMLMap | null, siteName: string): Splice {
  const value = topPair(map, 'site_name')?.value;
  if (value && isScalar(value)) return scalarSplice(value, siteName);
  if (value) throw new UserError('mkdocs.yml: site_name is not a plain value; cannot set it');
  return { start: 0, end: 0, text: `site_name: ${yamlScalar(siteName)}\n` };
}

function languageSplice(text: string, map: YAMLMap | null, language: string): Splice {
  const theme = topPair(map, 'theme');
  if (!theme) return append(text, `theme:\n  name: material\n  language: ${yamlScalar(language)}\n`);
  const value = theme.value;
  if (isMap(value) && !value.flow) {
    const current = topPair(value, 'language')?.value;
    if (current && isScalar(current)) return scalarSplice(current, language);
    const firstKey = (value.items[0]?.key as Node | undefined)?.range?.[0] ?? 0;
    const lineStart = text.lastIndexOf('\n', firstKey - 1) + 1;
    return { start: lineStart, end: lineStart, text: `${text.slice(lineStart, firstKey)}language: ${yamlScalar(language)}\n` };
  }
  // `theme: material` or a flow mapping: written again as a flow mapping with the language added.
  const js: Record<string, unknown> = isScalar(value) ? { name: value.value } : ((value?.toJSON() ?? {}) as Record<string, unknown>);
  const [start = 0, end = 0] = value?.range ?? [];
  const flow = new Document({ ...js, language }, { version: '1.1' }).toString({ lineWidth: 0, collectionStyle: 'flow' });
  return { start, end, text: flow.replace(/\n$/, '') };
}

/** The config with the edits made at their source ranges; the rest of the text is left as it was. */
export function editMkdocsConfig(configText: string, edits: ConfigEdits, configPath = 'mkdocs.yml'): string {
  const map = parse(configText, configPath).contents as YAMLMap | null;
  const splices: Splice[] = [];
  if (edits.nav) splices.push(navSplice(configText, map, edits.nav(readNav(configText, configPath))));
  if (edits.siteName !== undefined) splices.push(siteNameSplice(map, edits.siteName));
  if (edits.language !== undefined) splices.push(languageSplice(configText, map, edits.language));
  return applySplices(configText, splices);
}

/**
 * The nav with this writer's pages replaced: entries whose path `owns` says are ours are dropped
 * (and sections they leave empty), and `fresh` takes the place of the first one dropped, or goes
 * at the end. Entries of other writers and the user's stay where they are. `owns` gets each page's
 * depth (0 at the top), so a writer whose entries are never inside a section (`site`) leaves a
 * section's pages to the user.
 */
export function mergeNav(current: NavItem[], owns: (path: string, depth: number) => boolean, fresh: NavItem[]): NavItem[] {
  let at = -1;
  const kept: NavItem[] = [];
  for (const item of current) {
    const pruned = prune(item, owns, 0);
    if (pruned === null) {
      if (at < 0) at = kept.length;
    } else kept.push(pruned);
  }
  const index = at < 0 ? kept.length : at;
  return [...kept.slice(0, index), ...fresh, ...kept.slice(index)];
}

function prune(item: NavItem, owns: (path: string, depth: number) => boolean, depth: number): NavItem | null {
  if (item.kind === 'page') return owns(item.path, depth) ? null : item;
  if (item.kind === 'other') return item;
  const items = item.items.map((i) => prune(i, owns, depth + 1)).filter((i): i is NavItem => i !== null);
  return items.length === 0 && item.items.length > 0 ? null : { ...item, items };
}
