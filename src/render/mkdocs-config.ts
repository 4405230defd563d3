/**
 * The site's `mkdocs.yml`: the config `flowscribe site` writes when there is none, and the nav
 * block it keeps in step with the rendered pages. The file is edited as text, never re-serialised,
 * so a user's other settings, comments and `!!python/name:` tags survive untouched.
 * The config works with Debian's mkdocs 1.4.2 + mkdocs-material 8.2.5 and with current releases.
 */

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

/** One nav line: a page title and its path relative to the docs dir. */
export interface NavEntry {
  title: string;
  path: string;
}

const NAV_COMMENT = '# Written by `flowscribe site`: the index, then one page per capture.';

/** The mkdocs.yml `flowscribe site` creates when the project has none. */
export function defaultMkdocsConfig(docsDir: string, nav: NavEntry[]): string {
  return `site_name: flowscribe
site_description: HTTP traffic of commands, recorded and rendered by flowscribe
docs_dir: ${yamlString(docsDir)}
site_dir: site
theme:
  name: material
  # No web fonts: the site must read with no internet at hand.
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
      base_path: ${yamlString(docsDir)}
      check_paths: true
extra_javascript:
  - ${SITE_SCRIPTS.mermaid}
  - ${SITE_SCRIPTS.init}
${renderNav(nav)}`;
}

/** The nav block, with a comment line saying who writes it. */
export function renderNav(nav: NavEntry[]): string {
  const lines = nav.map((e) => `  - ${yamlString(e.title)}: ${yamlString(e.path)}`);
  return [NAV_COMMENT, 'nav:', ...lines].join('\n') + '\n';
}

/** A YAML scalar: bare when plainly safe, else double-quoted (JSON escapes are valid YAML). */
export function yamlString(value: string): string {
  const plain = /^[A-Za-z_./][A-Za-z0-9 _./-]*$/.test(value) && !/ $/.test(value) && !YAML_WORDS.test(value);
  return plain ? value : JSON.stringify(value);
}

// Bare words YAML reads as booleans or null rather than strings.
const YAML_WORDS = /^(y|n|yes|no|on|off|true|false|null)$/i;

const TOP_LEVEL_KEY = /^[^\s#-][^:]*:/;

/** Replaces the top-level `nav:` block (and the comment line above it, if ours); appends one if absent. */
export function replaceNav(configText: string, nav: NavEntry[]): string {
  const lines = configText.replace(/\r\n/g, '\n').split('\n');
  const start = lines.findIndex((l) => /^nav\s*:/.test(l));
  const block = renderNav(nav).replace(/\n$/, '').split('\n');
  if (start === -1) {
    const body = configText.replace(/\n*$/, '');
    return `${body}\n${block.join('\n')}\n`;
  }
  let end = start + 1;
  while (end < lines.length && !TOP_LEVEL_KEY.test(lines[end] ?? '')) end += 1;
  // Keep blank lines and comments that sit between the nav items and the next key.
  while (end > start + 1 && /^(\s*|#.*)$/.test(lines[end - 1] ?? '')) end -= 1;
  const from = start > 0 && lines[start - 1] === NAV_COMMENT ? start - 1 : start;
  const out = [...lines.slice(0, from), ...block, ...lines.slice(end)].join('\n');
  return out.endsWith('\n') ? out : `${out}\n`;
}

/** The config's top-level `docs_dir` (mkdocs' default is `docs`). */
export function readDocsDir(configText: string): string {
  const m = /^docs_dir\s*:\s*(.+?)\s*$/m.exec(configText);
  if (!m?.[1]) return 'docs';
  const raw = m[1].replace(/\s+#.*$/, '');
  return /^["']/.test(raw) ? raw.slice(1, -1) : raw;
}
