/**
 * A playbook's site tree as Markdown and nav: an index page per folder (each page's command,
 * one-line description, participants and number of exchanges), the tree's top index (every folder
 * with its pages), and the mkdocs nav grouped by folder. Pure: the same pages give the same text.
 */
import type { Lang } from '../model/page-lang.js';
import type { NavItem } from './mkdocs-config.js';
import { codeSpan, shellJoin } from './site-index.js';

/** One recorded page of the tree. */
export interface TreePage {
  /** Path inside the tree without `.md` (`image/create`). */
  page: string;
  title: string;
  /** The description's first sentence, or ''. */
  summary: string;
  /** The recorded command (secrets masked), or null. */
  argv: string[] | null;
  participants: string[];
  exchangeCount: number;
}

/** A folder's heading and description (from the playbook's `folders:`). */
export interface FolderInfo {
  title: string;
  description: string | null;
}

export interface TreeIndexes {
  /** Index pages by path inside the tree (`index.md`, `image/index.md`). */
  pages: Map<string, string>;
  /** The tree's nav section. */
  nav: NavItem;
}

/** First line of every index a playbook writes: a page without it is the user's and is kept. */
export const TREE_INDEX_MARKER = '<!-- Written by `flowscribe playbook` from the captures; edits are overwritten. -->';

const LABELS: Record<Lang, { overview: string; columns: string[]; pages: string }> = {
  en: { overview: 'Overview', columns: ['Command', 'Description', 'Participants', 'Exchanges'], pages: 'Pages' },
  ko: { overview: '개요', columns: ['명령', '설명', '참여자', '교환 수'], pages: '페이지' },
};

/** The first sentence of a Markdown description, on one line. */
export function firstSentence(markdown: string | null): string {
  const text = (markdown ?? '').split(/\n\s*\n/)[0]?.replace(/\s+/g, ' ').trim() ?? '';
  const m = /^(.+?[.!?])(\s|$)/.exec(text);
  return m?.[1] ?? text;
}

function dirOf(page: string): string {
  const i = page.lastIndexOf('/');
  return i < 0 ? '' : page.slice(0, i);
}

function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

/** The table of a folder's pages; links are relative to `fromDir`. */
function pageTable(pages: TreePage[], fromDir: string, lang: Lang): string[] {
  const l = LABELS[lang];
  const link = (p: TreePage) => `${fromDir === '' ? p.page : p.page.slice(fromDir.length + 1)}.md`;
  const rows = pages.map((p) => [
    `[${cell(p.title).replace(/([[\]])/g, '\\$1')}](${encodeURI(link(p))})${p.argv?.length ? `<br>${codeSpan(shellJoin(p.argv))}` : ''}`,
    cell(p.summary),
    p.participants.map(codeSpan).join(', '),
    String(p.exchangeCount),
  ]);
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [row(l.columns), row(['---', '---', '---', '--:']), ...rows.map(row)];
}

function folderTitle(dir: string, folders: Record<string, FolderInfo>): string {
  return folders[dir]?.title ?? dir.split('/').pop() ?? dir;
}

function folderPage(dir: string, pages: TreePage[], folders: Record<string, FolderInfo>, lang: Lang): string {
  const description = folders[dir]?.description;
  const head = [TREE_INDEX_MARKER, '', `# ${folderTitle(dir, folders)}`, ''];
  return [...head, ...(description ? [description.trim(), ''] : []), ...pageTable(pages, dir, lang), ''].join('\n');
}

function topPage(title: string, byDir: Map<string, TreePage[]>, folders: Record<string, FolderInfo>, lang: Lang): string {
  const out = [TREE_INDEX_MARKER, '', `# ${title}`, ''];
  for (const [dir, pages] of byDir) {
    if (dir !== '') {
      out.push(`## [${folderTitle(dir, folders)}](${encodeURI(`${dir}/index.md`)})`, '');
      const description = folders[dir]?.description;
      if (description) out.push(firstSentence(description), '');
    }
    out.push(...pageTable(pages, '', lang), '');
  }
  return out.join('\n');
}

/** Index pages and nav of a tree whose pages are `pages` (in playbook order); `tree` prefixes nav paths. */
export function renderTreeIndexes(tree: string, title: string, pages: TreePage[], folders: Record<string, FolderInfo>, lang: Lang): TreeIndexes {
  const byDir = new Map<string, TreePage[]>();
  for (const p of pages) byDir.set(dirOf(p.page), [...(byDir.get(dirOf(p.page)) ?? []), p]);
  const out = new Map<string, string>([['index.md', topPage(title, byDir, folders, lang)]]);
  const at = (path: string) => `${tree}/${path}`;
  const overview = LABELS[lang].overview;
  const items: NavItem[] = [{ kind: 'page', title: overview, path: at('index.md') }];
  for (const [dir, dirPages] of byDir) {
    const entries: NavItem[] = dirPages.map((p) => ({ kind: 'page', title: p.title, path: at(`${p.page}.md`) }));
    if (dir === '') {
      items.push(...entries);
      continue;
    }
    out.set(`${dir}/index.md`, folderPage(dir, dirPages, folders, lang));
    items.push({ kind: 'section', title: folderTitle(dir, folders), items: [{ kind: 'page', title: overview, path: at(`${dir}/index.md`) }, ...entries] });
  }
  return { pages: out, nav: { kind: 'section', title, items } };
}
