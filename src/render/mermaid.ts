/**
 * A timeline as a mermaid sequenceDiagram: `autonumber`, `participant alias as name`, `->>` for
 * requests and `-->>` for responses. When a view leaves arrows out (the summary), numbering restarts
 * with `autonumber N` so every arrow keeps the number of its `### (N)` section. Background calls
 * (labelled `(background)` by the model) are drawn on a grey `rect` band.
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

const BACKGROUND_FILL = 'rgba(128, 128, 128, 0.15)';

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
  let inBackground = false;
  for (const arrow of timeline.arrows) {
    // Runs of background calls (services' own periodic work) sit on a grey band.
    if (arrow.background !== inBackground) lines.push(arrow.background ? `  rect ${BACKGROUND_FILL}` : '  end');
    inBackground = arrow.background;
    if (arrow.n !== expected) lines.push(`  autonumber ${arrow.n}`);
    lines.push(arrowLine(arrow, timeline.nested));
    expected = arrow.n + 1;
  }
  if (inBackground) lines.push('  end');
  return lines.join('\n') + '\n';
}
