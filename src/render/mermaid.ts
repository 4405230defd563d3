/**
 * A timeline as a mermaid sequenceDiagram: `autonumber`, `participant alias as name`, `->>` for
 * requests and `-->>` for responses. When a view leaves arrows out (the summary), numbering restarts
 * with `autonumber N` so every arrow keeps the number of its `### (N)` section.
 */
import type { Arrow, Participant, Timeline } from '../model/timeline.js';

const ENTITIES: Record<string, string> = {
  ';': '#59;', // an unescaped `;` ends the statement
  '#': '#35;', // starts an entity code
  '<': '#lt;',
  '>': '#gt;',
  '`': '#96;',
  '%': '#37;', // `%%` starts a comment
};

/** Text that mermaid shows as is: statement breakers entity-encoded, line breaks flattened. */
export function escapeMermaidText(text: string): string {
  return text.replace(/[;#<>`%]/g, (c) => ENTITIES[c] ?? c).replace(/\s*[\r\n]+\s*/g, ' ');
}

function participantLine(p: Participant): string {
  return `  participant ${p.alias} as ${escapeMermaidText(p.name)}`;
}

function arrowLine(a: Arrow, nested: ReadonlySet<number> | undefined): string {
  const link = a.kind === 'request' ? '->>' : '-->>';
  // `+`/`-` open and close the callee's activation bar, so the calls it made sit inside it.
  const bar = nested?.has(a.exchange.seq) ? (a.kind === 'request' ? '+' : '-') : '';
  return `  ${a.from.alias}${link}${bar}${a.to.alias}: ${escapeMermaidText(a.label)}`;
}

/** The diagram source, LF line ends and a final newline. */
export function renderMermaid(timeline: Timeline): string {
  const lines = ['sequenceDiagram', '  autonumber', ...timeline.participants.map(participantLine)];
  if (timeline.arrows.length > 0) lines.push('');
  let expected = 1;
  for (const arrow of timeline.arrows) {
    if (arrow.n !== expected) lines.push(`  autonumber ${arrow.n}`);
    lines.push(arrowLine(arrow, timeline.nested));
    expected = arrow.n + 1;
  }
  return lines.join('\n') + '\n';
}
