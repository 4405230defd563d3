/**
 * The site's index page: one table row per rendered capture (command, participants, number of
 * exchanges, when it was recorded, link). Pure: the same pages give the same text.
 */
import type { Lang } from '../model/page-lang.js';

/** What the index says about one rendered page. */
export interface SitePage {
  /** Page title (the page's `# ` heading, e.g. `openstack image create`). */
  title: string;
  /** The recorded argv, or null for a `flowscribe proxy` capture (no command). */
  argv: string[] | null;
  /** Participant display names in diagram order. */
  participants: string[];
  /** Number of HTTP exchanges in the capture. */
  exchangeCount: number;
  /** ISO-8601 UTC time the recording started. */
  recordedAt: string;
  /** The page's path relative to the docs dir (`openstack-image-create.md`). */
  path: string;
}

export type SiteLang = Lang;

const LABELS: Record<SiteLang, { heading: string; intro: string; columns: string[]; proxy: string; none: string }> = {
  en: {
    heading: 'Recorded commands',
    intro: 'HTTP traffic recorded by flowscribe, one page per capture.',
    columns: ['Command', 'Participants', 'Exchanges', 'Recorded', 'Page'],
    proxy: '(proxy recording)',
    none: 'No captures rendered yet.',
  },
  ko: {
    heading: '기록된 명령',
    intro: 'flowscribe가 기록한 HTTP 트래픽, 캡처 하나에 페이지 하나.',
    columns: ['명령', '참여자', '교환 수', '기록 시각', '페이지'],
    proxy: '(프록시 기록)',
    none: '아직 렌더링된 캡처가 없다.',
  },
};

/** First line of every index flowscribe writes: a page without it is the user's and is kept. */
export const INDEX_MARKER = '<!-- Written by `flowscribe site` from the captures; edits are overwritten. -->';

/** The index page's Markdown (LF, final newline). */
export function renderIndexPage(pages: SitePage[], lang: SiteLang = 'en'): string {
  const l = LABELS[lang];
  const head = [INDEX_MARKER, '', `# ${l.heading}`, '', l.intro, ''];
  if (pages.length === 0) return [...head, l.none, ''].join('\n');
  const rows = pages.map((p) =>
    [
      p.argv?.length ? codeSpan(shellJoin(p.argv)) : l.proxy,
      p.participants.map(codeSpan).join(', '),
      String(p.exchangeCount),
      formatRecordedAt(p.recordedAt),
      `[${escapeLinkText(p.title)}](${encodeURI(p.path)})`,
    ].map(cell),
  );
  const table = [row(l.columns), row(l.columns.map((_, i) => (i === 2 ? '--:' : '---'))), ...rows.map(row)];
  return [...head, ...table, ''].join('\n');
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** A table cell: one line. Pipes are safe inside code spans (Python-Markdown's tables skip them). */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ');
}

/** Inline code that survives backticks in the text (a longer backtick run around it). */
export function codeSpan(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

function escapeLinkText(text: string): string {
  return text.replace(/([\\[\]|])/g, '\\$1');
}

/** argv as a shell line: words quoted only when they need it. */
export function shellJoin(argv: string[]): string {
  return argv.map((w) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** `2022-12-19T09:51:29.000Z` → `2022-12-19 09:51:29 UTC` (unparseable values as recorded). */
export function formatRecordedAt(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
