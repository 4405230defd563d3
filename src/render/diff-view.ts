/**
 * Two runs compared: the terminal summary (`+8 −0 ~2 arrows`, then one line per change) and the
 * Markdown page (a merged diagram with added, removed and changed arrows marked, and a table of
 * changes linking to each side's page). Pure: alignment and timelines in, strings out.
 */
import { exchangeDurationMs, type AlignedStep, type ChangeReason, type FlowAlignment } from '../model/flow-alignment.js';
import { formatMs } from '../model/exchange-timing.js';
import { headerValue } from '../model/json-body.js';
import type { Arrow, Participant, Timeline } from '../model/timeline.js';
import { sectionAnchor } from './anchors.js';
import { arrowLines, escapeMermaidText } from './mermaid.js';
import { cell } from './token-section.js';

/** One side of the comparison. */
export interface DiffSide {
  /** What the user named (`captures/cold.jsonl`). */
  name: string;
  /** The command line shown for this side (`openstack image create …`), or null. */
  command: string | null;
  timeline: Timeline;
  /** The side's own page, relative to the diff page, for links; null: no links. */
  page: string | null;
}

export interface DiffInput {
  a: DiffSide;
  b: DiffSide;
  alignment: FlowAlignment;
}

const COLOURS: Record<Exclude<AlignedStep['kind'], 'same'>, string> = {
  added: 'rect rgb(214, 245, 214)',
  removed: 'rect rgb(255, 214, 214)',
  changed: 'rect rgb(255, 236, 179)',
};

/** `+8 −0 ~2 arrows`. */
export function diffCounts(alignment: FlowAlignment): string {
  const c = alignment.counts;
  return `+${c.added} −${c.removed} ~${c.changed} arrows`;
}

function arrowText(a: Arrow): string {
  return `${a.from.name} → ${a.to.name}: ${a.label}`;
}

export function reasonText(r: ChangeReason): string {
  switch (r.kind) {
    case 'status': return `status ${r.a} → ${r.b}`;
    case 'headers': return `headers ${[...r.added.map((h) => `+${h}`), ...r.removed.map((h) => `−${h}`)].join(' ')}`;
    case 'duration': return `duration ${formatMs(r.aMs)} → ${formatMs(r.bMs)}`;
  }
}

function stepLine(s: AlignedStep): string | null {
  switch (s.kind) {
    case 'same': return null;
    case 'added': return `+ B(${s.b.n}) ${arrowText(s.b)}`;
    case 'removed': return `− A(${s.a.n}) ${arrowText(s.a)}`;
    case 'changed': return `~ A(${s.a.n}) B(${s.b.n}) ${arrowText(s.b)} (${s.reasons.map(reasonText).join('; ')})`;
  }
}

/** The terminal summary: the counts, then one line per change. */
export function renderDiffSummary(input: DiffInput): string {
  const lines = [`${diffCounts(input.alignment)} (A ${input.a.name}: ${input.a.timeline.arrows.length}, B ${input.b.name}: ${input.b.timeline.arrows.length})`];
  for (const s of input.alignment.steps) {
    const line = stepLine(s);
    if (line) lines.push(line);
  }
  return lines.join('\n') + '\n';
}

/** Participants of both sides by name, A's first; an alias taken by another name gets a suffix. */
function mergeParticipants(a: Timeline, b: Timeline): Map<string, Participant> {
  const byName = new Map<string, Participant>();
  const aliases = new Set<string>();
  for (const p of [...a.participants, ...b.participants]) {
    if (byName.has(p.name)) continue;
    let alias = p.alias;
    for (let i = 2; aliases.has(alias); i += 1) alias = `${p.alias}_${i}`;
    aliases.add(alias);
    byName.set(p.name, { alias, name: p.name });
  }
  return byName;
}

function stepArrow(s: AlignedStep): Arrow {
  return s.kind === 'removed' ? s.a : s.b;
}

function noteFor(s: AlignedStep, a: Arrow): string {
  const over = a.from.alias === a.to.alias ? a.from.alias : `${a.from.alias},${a.to.alias}`;
  const text = s.kind === 'added' ? '+ only in B' : s.kind === 'removed' ? '− only in A' : `~ ${s.kind === 'changed' ? s.reasons.map(reasonText).join('; ') : ''}`;
  return `  Note over ${over}: ${escapeMermaidText(text)}`;
}

/** The merged diagram: runs of added/removed steps share a coloured rect; each change has its own. */
export function renderDiffMermaid(input: DiffInput): string {
  const merged = mergeParticipants(input.a.timeline, input.b.timeline);
  const lines = ['sequenceDiagram', '  autonumber', ...[...merged.values()].map((p) => `  participant ${p.alias} as ${escapeMermaidText(p.name)}`), ''];
  let open: AlignedStep['kind'] | null = null;
  input.alignment.steps.forEach((s, i) => {
    const original = stepArrow(s);
    const arrow = { ...original, n: i + 1, from: merged.get(original.from.name) ?? original.from, to: merged.get(original.to.name) ?? original.to };
    const runs = s.kind === 'added' || s.kind === 'removed';
    if (open && (open !== s.kind || !runs)) {
      lines.push('  end');
      open = null;
    }
    if (s.kind !== 'same' && open === null) {
      lines.push(`  ${COLOURS[s.kind]}`, noteFor(s, arrow));
      open = s.kind;
    }
    lines.push(...arrowLines(arrow));
    if (s.kind === 'changed') {
      lines.push('  end');
      open = null;
    }
  });
  if (open) lines.push('  end');
  return lines.join('\n') + '\n';
}

function sideLink(side: DiffSide, tag: string, a: Arrow | null): string {
  if (!a) return '';
  const text = `${tag}(${a.n})`;
  return side.page ? `[${text}](${side.page}#${sectionAnchor(a.n, a.label)})` : text;
}

function tokenOwner(a: Arrow): string {
  const value = headerValue(a.exchange.request.headers, 'X-Auth-Token');
  return value && value.startsWith('{token') ? `\`${cell(value)}\`` : '';
}

function durations(s: AlignedStep): string {
  const r = s.kind === 'changed' ? s.reasons.find((x) => x.kind === 'duration') : undefined;
  if (r && r.kind === 'duration') return `${formatMs(r.aMs)} → ${formatMs(r.bMs)}`;
  const a = stepArrow(s);
  const ms = a.kind === 'response' ? exchangeDurationMs(a) : null;
  return ms === null ? '' : formatMs(ms);
}

function statusCell(s: AlignedStep): string {
  const r = s.kind === 'changed' ? s.reasons.find((x) => x.kind === 'status') : undefined;
  return r && r.kind === 'status' ? `${r.a} → ${r.b}` : '';
}

function tableRow(s: AlignedStep, i: number, input: DiffInput): string | null {
  if (s.kind === 'same') return null;
  const arrow = stepArrow(s);
  const change = s.kind === 'added' ? '+ added' : s.kind === 'removed' ? '− removed' : `~ ${s.reasons.map(reasonText).join('; ')}`;
  const a = s.kind === 'added' ? null : s.a;
  const b = s.kind === 'removed' ? null : s.b;
  const cells = [String(i + 1), cell(change), cell(arrow.label), cell(`${arrow.from.name} → ${arrow.to.name}`), statusCell(s), tokenOwner(arrow), durations(s), sideLink(input.a, 'A', a), sideLink(input.b, 'B', b)];
  return `| ${cells.join(' | ')} |`;
}

/** The diff page's Markdown. */
export function renderDiffPage(input: DiffInput): string {
  const { a, b, alignment } = input;
  const lines = [`# ${diffCounts(alignment)}`, '', `A: \`${a.name}\`${a.command ? ` — \`${a.command}\`` : ''}  `, `B: \`${b.name}\`${b.command ? ` — \`${b.command}\`` : ''}`, ''];
  lines.push('## Merged Sequence Diagram', '', 'Both runs aligned arrow by arrow: green only in B, red only in A, yellow changed.', '', '``` mermaid', renderDiffMermaid(input) + '```', '');
  lines.push('## Changes', '');
  const rows = alignment.steps.map((s, i) => tableRow(s, i, input)).filter((r): r is string => r !== null);
  if (rows.length === 0) lines.push('The two runs have the same arrows.', '');
  else lines.push('| # | change | arrow | participants | status | token | duration | A | B |', '|---|---|---|---|---|---|---|---|---|', ...rows, '');
  return lines.join('\n');
}
