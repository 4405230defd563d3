/**
 * A timeline as a mermaid sequenceDiagram: `autonumber`, `participant alias as name`, `->>` for
 * requests and `-->>` for responses. When a view leaves arrows out (the summary), numbering restarts
 * with `autonumber N` so every arrow keeps the number of its `### (N)` section. Background calls
 * (labelled `(background)` by the model) are drawn on a grey `rect` band.
 */
import { exchangeOutcome, targetHostPort } from '../model/exchange-outcome.js';
import { exchangeTiming, formatMs } from '../model/exchange-timing.js';
import type { Arrow, Participant, Timeline } from '../model/timeline.js';
import { ChunkedText } from './text-chunks.js';

/** How a diagram is drawn beyond the arrows themselves. */
export interface MermaidOptions {
  /** Put each exchange's duration on its response arrow (`--timings`). */
  timings: boolean;
}

export const DEFAULT_MERMAID_OPTIONS: MermaidOptions = { timings: false };

/** Background of responses with a 4xx/5xx status: they stand out in every view. */
export const HTTP_ERROR_RECT = 'rect rgb(255, 224, 224)';

const ENTITIES: Record<string, string> = {
  ';': '#59;', // an unescaped `;` ends the statement
  '#': '#35;', // starts an entity code
  '<': '#lt;',
  '>': '#gt;',
  '`': '#96;',
  '%': '#37;', // `%%` starts a comment
};

/** Any character the two replacements below change (most labels have none: one scan instead of two). */
const NEEDS_ESCAPE = /[;#<>`%\r\n]/;

/** Text that mermaid shows as is: statement breakers entity-encoded, line breaks flattened. */
export function escapeMermaidText(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text.replace(/[;#<>`%]/g, (c) => ENTITIES[c] ?? c).replace(/\s*[\r\n]+\s*/g, ' ');
}

const BACKGROUND_FILL = 'rgba(128, 128, 128, 0.15)';

function participantLine(p: Participant): string {
  return `  participant ${p.alias} as ${escapeMermaidText(p.name)}`;
}

function durationSuffix(a: Arrow, options: MermaidOptions): string {
  if (!options.timings || a.kind !== 'response') return '';
  const { durationMs } = exchangeTiming(a.exchange, a.exchange.timings.requestStart.ns);
  return durationMs === null ? '' : ` (${formatMs(durationMs)})`;
}

/**
 * The lines of one arrow. A transport failure is drawn from the sender towards the target it never
 * reached (`-x`) with a note naming the error and address; an abort as a cut reply (`--x`); a
 * request still in flight gets a note; a 4xx/5xx reply sits on a red background.
 */
export function arrowLines(a: Arrow, options: MermaidOptions = DEFAULT_MERMAID_OPTIONS): string[] {
  const text = escapeMermaidText(a.label + durationSuffix(a, options));
  if (a.kind === 'request') {
    const line = `  ${a.from.alias}->>${a.to.alias}: ${text}`;
    if (a.exchange.state !== 'incomplete') return [line];
    return [line, `  Note over ${a.to.alias}: ${escapeMermaidText(a.exchange.response ? '⏳ incomplete: the response was still arriving when recording stopped' : '⏳ incomplete: no response when recording stopped')}`];
  }
  const e = a.exchange;
  switch (exchangeOutcome(e)) {
    case 'transport-failure':
      return [`  ${a.to.alias}-x${a.from.alias}: ${text}`, `  Note over ${a.from.alias}: ${escapeMermaidText(`✕ ${failureCode(a)} ${targetHostPort(e)}`)}`];
    case 'aborted':
      return [`  ${a.from.alias}--x${a.to.alias}: ${text}`, `  Note over ${a.to.alias}: ${escapeMermaidText(`✕ aborted: ${failureCode(a)}`)}`];
    case 'http-error':
      return [`  ${HTTP_ERROR_RECT}`, `  ${a.from.alias}-->>${a.to.alias}: ${text}`, '  end'];
    default:
      return [`  ${a.from.alias}-->>${a.to.alias}: ${text}`];
  }
}

function failureCode(a: Arrow): string {
  const e = a.exchange;
  return e.state === 'failed' || e.state === 'aborted' ? e.error.code : e.state;
}

/**
 * `--nest`: the callee's activation bar opens after a request that caused others and closes after
 * its response, so the calls it made sit inside it. Explicit lines rather than `->>+`, which
 * could not close the bar on a failure drawn from the sender's side (`-x`).
 */
function activationLine(a: Arrow): string {
  return a.kind === 'request' ? `  activate ${a.to.alias}` : `  deactivate ${a.from.alias}`;
}

/**
 * The diagram source, LF line ends and a final newline. Its lines are joined in chunks as they come
 * (text-chunks.ts): 20,000 arrows' lines held for one join at the end were copied by the garbage
 * collector on their way to the old generation.
 */
export function renderMermaid(timeline: Timeline, options: MermaidOptions = DEFAULT_MERMAID_OPTIONS): string {
  const text = new ChunkedText();
  const line = (l: string): void => text.add(`${l}\n`);
  line('sequenceDiagram');
  line('  autonumber');
  for (const p of timeline.participants) line(participantLine(p));
  if (timeline.arrows.length > 0) line('');
  let expected = 1;
  let inBackground = false;
  for (const arrow of timeline.arrows) {
    // Runs of background calls (services' own periodic work) sit on a grey band.
    if (arrow.background !== inBackground) line(arrow.background ? `  rect ${BACKGROUND_FILL}` : '  end');
    inBackground = arrow.background;
    if (arrow.n !== expected) line(`  autonumber ${arrow.n}`);
    for (const l of arrowLines(arrow, options)) line(l);
    if (timeline.nested?.has(arrow.exchange.seq)) line(activationLine(arrow));
    expected = arrow.n + 1;
  }
  if (inBackground) line('  end');
  return text.text();
}
