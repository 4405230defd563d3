/**
 * The token view on the page (a "Tokens" section: one table of tokens, one of their uses, with
 * links to the arrow sections) and on the terminal (`--tokens`). Tokens appear by owner label only.
 */
import type { TokenEntry, TokenUse } from '../model/token-view.js';
import { sectionAnchor } from './anchors.js';

const USE_WORDS: Record<TokenUse['kind'], string> = { used: 'used (X-Auth-Token)', validated: 'validated (X-Subject-Token)', service: 'service token (X-Service-Token)' };

/** A Markdown table cell: pipes escaped, line breaks flattened. */
export function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*[\r\n]+\s*/g, ' ');
}

function issuedText(t: TokenEntry): string {
  return t.issued ? `(${t.issued.n}) to ${t.issued.to}` : 'before the recording';
}

function factsCells(t: TokenEntry): string[] {
  const f = t.facts;
  if (!f) return ['?', '?', '?', '?', '?'];
  return [f.owner ?? '?', f.scope, f.methods.join(', ') || '?', f.expiresAt ?? '?', f.catalogSize === null ? 'none' : String(f.catalogSize)];
}

function link(n: number, label: string, anchors: boolean): string {
  return anchors ? `[(${n})](#${sectionAnchor(n, label)})` : `(${n})`;
}

function useResult(u: TokenUse): string {
  return u.failed ? `**✕ ${u.status}**` : u.status;
}

/** The page's Tokens section (Markdown, ends with a blank line); empty string when no tokens. */
export function renderTokenSection(tokens: TokenEntry[], labelOf: (n: number) => string): string {
  if (tokens.length === 0) return '';
  const lines = ['## Tokens', '', 'Every token seen in the run, named by its owner, and each request that carried it.', ''];
  lines.push('| token | issued | owner | scope | method | expires_at | catalog |', '|---|---|---|---|---|---|---|');
  for (const t of tokens) {
    const issued = t.issued ? `${link(t.issued.n, labelOf(t.issued.n), true)} to ${cell(t.issued.to)}` : '*before the recording*';
    lines.push(`| \`${cell(t.label)}\` | ${issued} | ${factsCells(t).map(cell).join(' | ')} |`);
  }
  const uses = tokens.flatMap((t) => t.uses.map((u) => ({ t, u })));
  if (uses.length > 0) {
    lines.push('', '| token | arrow | as | from → to | result |', '|---|---|---|---|---|');
    for (const { t, u } of uses.sort((x, y) => x.u.n - y.u.n)) {
      const row = [`\`${cell(t.label)}\``, `${link(u.n, u.label, true)} ${cell(u.label)}`, USE_WORDS[u.kind], `${cell(u.from)} → ${cell(u.to)}`, useResult(u)];
      lines.push(`| ${row.join(' | ')} |`);
    }
  }
  return lines.join('\n') + '\n';
}

/** The terminal's token view (`--tokens`): one block per token, one line per use. */
export function renderTokenText(tokens: TokenEntry[]): string {
  if (tokens.length === 0) return 'no tokens seen\n';
  const lines: string[] = [];
  for (const t of tokens) {
    const [owner, scope, method, expires, catalog] = factsCells(t);
    lines.push(`${t.label}  issued ${issuedText(t)}  owner ${owner}  scope ${scope}  method ${method}  expires ${expires}  catalog ${catalog}`);
    for (const u of t.uses) lines.push(`  (${u.n}) ${u.kind.padEnd(9)} ${u.from} → ${u.to}  ${u.label}  ${u.failed ? `✕ ${u.status} FAILED` : u.status}`);
  }
  return lines.join('\n') + '\n';
}
