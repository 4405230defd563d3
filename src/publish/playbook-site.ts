/**
 * A playbook's files: `captures/<tree>/<page>.jsonl`, `docs/<tree>/<page>.md` (+ its raw log in
 * `logs/` next to it), an index per folder, the tree's top index, and mkdocs.yml (nav section of
 * the tree, site_name, theme.language). A page is written only when its text changed, and the
 * change report compares the new flow with the one recorded before (see flow-alignment.ts).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { UserError } from '../errors.js';
import type { FlowscribeConfig } from '../model/config.js';
import type { Capture } from '../model/exchange.js';
import { alignFlows, type FlowAlignment } from '../model/flow-alignment.js';
import type { Playbook, PlaybookStep } from '../model/playbook.js';
import { splitWords } from '../model/playbook-command.js';
import { templateTitle } from '../model/playbook-template.js';
import { redactFrame } from '../model/redact.js';
import { buildTimelines } from '../model/timeline.js';
import { renderPage } from '../render/capture-page.js';
import { commandName } from '../render/command-view.js';
import type { Lang } from '../model/page-lang.js';
import { mergeNav } from '../render/mkdocs-config.js';
import { RENDER_DEFAULTS } from '../defaults.js';
import { resolveRenderOptions, snippetPath, type RenderFileOptions } from './output.js';
import { copySiteAssets } from './site-assets.js';
import { firstSentence, renderTreeIndexes, TREE_INDEX_MARKER, type TreePage } from '../render/tree-index.js';
import { writeMkdocsConfig } from './mkdocs-file.js';
import { makeDirectory } from '../make-directory.js';

/** Where a playbook's files go. */
export interface SiteLayout {
  capturesDir: string;
  docsDir: string;
  mkdocsConfig: string;
}

/** How a re-recorded page compares with the flow it had. */
export type PageChange = { kind: 'new' } | { kind: 'unchanged' } | { kind: 'changed'; added: number; removed: number; changed: number };

export interface PublishedPage {
  change: PageChange;
  /** False when the page's text was already what it would be (the file was not touched). */
  written: boolean;
}

/** How pages are rendered: `flowscribe render`'s options less what the tree decides. */
export type TreePageOptions = Omit<RenderFileOptions, 'logPath' | 'snippetsBase' | 'images' | 'heading'> & { lang: Lang };

export function capturePathOf(layout: SiteLayout, playbook: Playbook, step: PlaybookStep): string {
  return join(layout.capturesDir, playbook.tree, `${step.page}.jsonl`);
}

function pagePathOf(layout: SiteLayout, playbook: Playbook, step: PlaybookStep): string {
  return join(layout.docsDir, playbook.tree, `${step.page}.md`);
}

/** The page heading: the step's title, else the command's words with references as `{name}`. */
export function stepTitle(step: PlaybookStep): string {
  if (step.title) return step.title;
  const run = step.run;
  const words = run.kind === 'argv' ? run.argv : run.kind === 'words' ? splitWords(run.text) : [run.script];
  // `openstack image show ${image_id}` → its words; a bare `curl -s URL` → the whole line.
  const name = commandName(words);
  return templateTitle((name.length > 1 ? name : words).join(' '));
}

/** Refuses, before anything runs, to overwrite a page or index that flowscribe did not write. */
export function checkTreeIsOurs(layout: SiteLayout, playbook: Playbook): void {
  for (const step of playbook.steps) {
    const page = pagePathOf(layout, playbook, step);
    if (existsSync(page) && !existsSync(capturePathOf(layout, playbook, step))) {
      throw new UserError(`${page}: exists but was not recorded by this playbook (no ${capturePathOf(layout, playbook, step)}); it would be replaced`, 1, 'move it away, or choose another tree: or page:');
    }
  }
  for (const dir of new Set(['', ...playbook.steps.map((s) => dirname(s.page)).filter((d) => d !== '.')])) {
    const index = join(layout.docsDir, playbook.tree, dir, 'index.md');
    if (existsSync(index) && !readFileSync(index, 'utf8').startsWith(TREE_INDEX_MARKER)) {
      throw new UserError(`${index}: not written by flowscribe playbook; it would be replaced`, 1, 'move it away, or choose another tree:');
    }
  }
}

/** Writes text unless the file already holds it; true when written. */
function writeIfChanged(path: string, text: string): boolean {
  if (existsSync(path) && readFileSync(path, 'utf8') === text) return false;
  try {
    makeDirectory(dirname(path));
    writeFileSync(path, text);
  } catch (err) {
    throw new UserError(`${path}: cannot write (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return true;
}

function flowChange(alignment: FlowAlignment): PageChange {
  // Only what the arrows show counts: ends, method, templated path, status (not header names).
  const changed = alignment.steps.filter((s) => s.kind === 'changed' && s.reasons.some((r) => r.kind === 'status')).length;
  const { added, removed } = alignment.counts;
  return added || removed || changed ? { kind: 'changed', added, removed, changed } : { kind: 'unchanged' };
}

/**
 * Compares the new capture's flow with the previous capture's. Each side names its ids with the
 * values saved in its own run, so a fresh id under the same name is no change.
 */
export function comparePages(previous: Capture | null, next: Capture, options: TreePageOptions, configs: { previous: FlowscribeConfig; next: FlowscribeConfig }): PageChange {
  if (previous === null) return { kind: 'new' };
  const opts = { secrets: options.secrets ?? RENDER_DEFAULTS.secrets, include: options.include ?? [], exclude: options.exclude ?? [], profile: options.profile ?? null };
  const before = buildTimelines(previous, { ...opts, config: configs.previous }).full.arrows;
  return flowChange(alignFlows(before, buildTimelines(next, { ...opts, config: configs.next }).full.arrows));
}

/** Renders a step's page and raw log, writing each only when its text changed. */
export function publishPage(layout: SiteLayout, playbook: Playbook, step: PlaybookStep, capture: Capture, options: TreePageOptions & { config: FlowscribeConfig }): boolean {
  const pagePath = pagePathOf(layout, playbook, step);
  const logPath = join(dirname(pagePath), 'logs', `${basename(pagePath, '.md')}.log`);
  const rendered = renderPage(capture, resolveRenderOptions({ ...options, heading: { title: stepTitle(step), description: step.description } }, snippetPath(logPath, layout.docsDir)));
  const wroteLog = writeIfChanged(logPath, rendered.log);
  return writeIfChanged(pagePath, rendered.markdown) || wroteLog;
}

/** What the indexes say about a recorded step. */
export function treePage(step: PlaybookStep, capture: Capture, options: TreePageOptions & { config: FlowscribeConfig }): TreePage {
  const secrets = options.secrets ?? RENDER_DEFAULTS.secrets;
  const { full } = buildTimelines(capture, { config: options.config, secrets, include: options.include ?? [], exclude: options.exclude ?? [], profile: options.profile ?? null });
  return {
    page: step.page,
    title: stepTitle(step),
    summary: firstSentence(step.description),
    argv: redactFrame(capture, secrets).header.argv,
    participants: full.participants.map((p) => p.name),
    exchangeCount: capture.exchanges.length,
  };
}

/** The indexes, the offline scripts and mkdocs.yml; returns the files written. */
export function publishTree(layout: SiteLayout, playbook: Playbook, pages: TreePage[], site: { siteName: string | null; lang: Lang }): string[] {
  const title = site.siteName ?? playbook.siteName ?? playbook.tree;
  const { pages: indexes, nav } = renderTreeIndexes(playbook.tree, title, pages, playbook.folders, site.lang);
  const written: string[] = [];
  for (const [path, text] of indexes) {
    const file = join(layout.docsDir, playbook.tree, path);
    if (writeIfChanged(file, text)) written.push(file);
  }
  written.push(...copySiteAssets(layout.docsDir));
  const tree = `${playbook.tree}/`;
  const update = {
    nav: (current: Parameters<typeof mergeNav>[0]) => mergeNav(current, (path: string) => path.startsWith(tree), [nav]),
    language: site.lang,
    ...(site.siteName ?? playbook.siteName ? { siteName: site.siteName ?? playbook.siteName ?? '' } : {}),
  };
  if (writeMkdocsConfig(layout.mkdocsConfig, layout.docsDir, update)) written.push(layout.mkdocsConfig);
  return written;
}

/** A path as reports show it: relative to the working directory. */
export function shown(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') ? rel.split(sep).join('/') : path;
}
