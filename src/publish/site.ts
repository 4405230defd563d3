/**
 * `flowscribe site`: every capture rendered into the docs dir as a page (plus its raw log and,
 * with --svg/--png, its diagram images), an index page listing them, the nav of mkdocs.yml kept in
 * step, and the offline mermaid scripts copied in. Building the HTML is mkdocs' job (cli/mkdocs.ts).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { UserError } from '../errors.js';
import { redactFrame } from '../model/redact.js';
import { RENDER_DEFAULTS } from '../defaults.js';
import { renderCaptureFile, type RenderFileOptions } from './output.js';
import { mergeNav, pageItems, type NavEntry, type NavItem } from '../render/mkdocs-config.js';
import { imageLinks, writePageImages } from './page-images.js';
import { copySiteAssets } from './site-assets.js';
import { INDEX_MARKER, renderIndexPage, formatRecordedAt, type SiteLang, type SitePage } from '../render/site-index.js';
import type { DiagramRenderer, ImageFormat } from './svg.js';
import { makeDirectory } from '../make-directory.js';

export interface SiteOptions {
  /** Capture files, in the order the index and nav list them. */
  captures: string[];
  /** Directory the Markdown goes into (mkdocs' docs_dir). */
  docsDir: string;
  /** Image formats to render besides the live diagram (empty: none). */
  imageFormats: ImageFormat[];
  /** Opens the shared browser for images; only called when imageFormats is non-empty. */
  openRenderer: () => Promise<DiagramRenderer>;
  /** How each page is rendered (as `flowscribe render` takes it); paths and images are the site's. */
  page: SitePageOptions;
}

/** `flowscribe render`'s options less what the site decides (log place, snippets base, images). */
export type SitePageOptions = Omit<RenderFileOptions, 'logPath' | 'snippetsBase' | 'images'> & { lang: SiteLang };

export interface SiteResult {
  pages: SitePage[];
  /** The site's nav from the config's current one (the caller writes the config). */
  nav: (current: NavItem[]) => NavItem[];
  /** Every file written, absolute. */
  written: string[];
  /** Non-fatal problems (e.g. a capture whose recorder was killed), each naming its file. */
  warnings: string[];
}

/** Renders the whole site's Markdown side. */
export async function buildSite(options: SiteOptions): Promise<SiteResult> {
  if (options.captures.length === 0) throw new UserError('site: no captures to render', 2, 'record one, or name capture files');
  const docsDir = resolve(options.docsDir);
  checkPageNames(options.captures);
  const indexPath = join(docsDir, 'index.md');
  checkIndexIsOurs(indexPath, join(options.docsDir, 'index.md'));
  const result: SiteResult = { pages: [], written: [], warnings: [], nav: (current) => current };
  const renderer = options.imageFormats.length > 0 ? await options.openRenderer() : null;
  try {
    for (const capture of options.captures) await renderOnePage(capture, docsDir, options, renderer, result);
  } finally {
    await renderer?.close();
  }
  writeFileSync(indexPath, renderIndexPage(result.pages, options.page.lang));
  result.written.push(indexPath, ...copySiteAssets(docsDir));
  const fresh = pageItems(siteNav(result.pages, options.page.lang));
  // The site's pages sit at the top of the docs dir; deeper entries (playbook trees, guides) are kept.
  result.nav = (current) => mergeNav(current, (path, depth) => depth === 0 && !path.includes('/'), fresh);
  return result;
}

async function renderOnePage(
  capturePath: string,
  docsDir: string,
  options: SiteOptions,
  renderer: DiagramRenderer | null,
  result: SiteResult,
): Promise<void> {
  const pagePath = join(docsDir, pageFileName(capturePath));
  makeDirectory(docsDir);
  const rendered = await renderCaptureFile(capturePath, pagePath, {
    ...options.page,
    snippetsBase: docsDir,
    images: imageLinks(pagePath, options.imageFormats),
  });
  const { markdown, capture } = rendered;
  result.written.push(pagePath, resolve(rendered.logPath));
  result.warnings.push(...rendered.warnings);
  if (renderer) {
    const page = { path: pagePath, markdown, diagrams: rendered.diagrams };
    result.written.push(...(await writePageImages(renderer, page, options.imageFormats)));
  }
  result.pages.push({
    title: pageTitle(markdown) ?? basename(pagePath, '.md'),
    argv: redactFrame(capture, options.page.secrets ?? RENDER_DEFAULTS.secrets).header.argv,
    participants: diagramParticipants(rendered.diagrams.full),
    exchangeCount: capture.exchanges.length,
    recordedAt: capture.header.startedAt,
    path: relative(docsDir, pagePath).split(sep).join('/'),
  });
}

/** `captures/x.jsonl` (or `x.har`) → `x.md`: the page is named after its capture file. */
export function pageFileName(capturePath: string): string {
  return `${basename(capturePath).replace(/\.(jsonl|har)$/i, '')}.md`;
}

/** Two captures named alike would write the same page. */
function checkPageNames(captures: string[]): void {
  const seen = new Map<string, string>();
  for (const capture of captures) {
    const page = pageFileName(capture);
    const first = seen.get(page);
    if (first !== undefined) throw new UserError(`site: ${first} and ${capture} would both become ${page}`, 2, 'rename one of them');
    seen.set(page, capture);
  }
}

/** The page's first `# ` heading. */
export function pageTitle(markdown: string): string | null {
  return /^# (.+)$/m.exec(markdown)?.[1]?.trim() ?? null;
}

/** Display names of a mermaid sequence diagram's declared participants, in order. */
export function diagramParticipants(diagram: string): string[] {
  const names: string[] = [];
  for (const m of diagram.matchAll(/^\s*(?:participant|actor)\s+(\S+)(?:\s+as\s+(.+?))?\s*$/gm)) {
    names.push((m[2] ?? m[1] ?? '').trim());
  }
  return names;
}

/** Nav: the index, then the pages; equal titles get their recording time to tell them apart. */
export function siteNav(pages: SitePage[], lang: SiteLang): NavEntry[] {
  const count = new Map<string, number>();
  for (const p of pages) count.set(p.title, (count.get(p.title) ?? 0) + 1);
  const entries = pages.map((p) => ({
    title: (count.get(p.title) ?? 0) > 1 ? `${p.title} (${formatRecordedAt(p.recordedAt)})` : p.title,
    path: p.path,
  }));
  return [{ title: lang === 'ko' ? '홈' : 'Home', path: 'index.md' }, ...entries];
}

/** Never overwrite an index page the user wrote (ours start with INDEX_MARKER). */
function checkIndexIsOurs(indexPath: string, shown: string): void {
  if (!existsSync(indexPath) || readFileSync(indexPath, 'utf8').startsWith(INDEX_MARKER)) return;
  throw new UserError(`${shown}: not written by flowscribe site; it would be replaced`, 1, 'move it away, or pass another --docs');
}
