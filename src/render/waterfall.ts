/**
 * The waterfall of a run: a mermaid `gantt` with one bar per exchange, grouped in one section per
 * participant that served it, on a time axis starting at the first request (0 ms). Failed, aborted,
 * unfinished and 4xx/5xx exchanges are `crit` bars (red), so a slow or failing call stands out.
 */
import { exchangeOutcome } from '../model/exchange-outcome.js';
import { captureOriginNs } from '../model/exchange-timing.js';
import type { ExchangeRecord } from '../model/exchange.js';
import type { Arrow, Timeline } from '../model/timeline.js';

/** Characters a gantt task or section line cannot hold (`:` starts the task data, `#`/`;` break it). */
function ganttText(text: string): string {
  return text.replace(/[:#;]/g, ' ').replace(/\s+/g, ' ').trim();
}

/** The last instant of an exchange (ns): an unfinished one runs until its last recorded instant. */
function endNs(e: ExchangeRecord, runEndNs: number): number {
  const t = e.timings;
  return t.responseEnd?.ns ?? (e.state === 'incomplete' ? runEndNs : (t.responseStart ?? t.requestEnd ?? t.requestStart).ns);
}

function runEnd(arrows: Arrow[]): number {
  let end = 0;
  for (const a of arrows) {
    const t = a.exchange.timings;
    for (const i of [t.requestStart, t.requestEnd, t.responseStart, t.responseEnd]) if (i) end = Math.max(end, i.ns);
  }
  return end;
}

function taskLine(a: Arrow, originNs: number, runEndNs: number): string {
  const start = Math.floor((a.exchange.timings.requestStart.ns - originNs) / 1e6);
  // At least 1 ms wide: a zero-width bar is not drawn at all.
  const end = Math.max(start + 1, Math.ceil((endNs(a.exchange, runEndNs) - originNs) / 1e6));
  const crit = exchangeOutcome(a.exchange) === 'ok' ? '' : 'crit, ';
  return `    (${a.n}) ${ganttText(`${a.from.name} ${a.label}`)} :${crit}${start}, ${end}`;
}

/** The gantt source (LF, final newline); one bar per request arrow of the timeline. */
export function renderWaterfall(timeline: Timeline): string {
  const requests = timeline.arrows.filter((a) => a.kind === 'request');
  const originNs = captureOriginNs({ exchanges: requests.map((a) => a.exchange) });
  const runEndNs = runEnd(requests);
  const lines = ['gantt', '  dateFormat x', '  axisFormat %M:%S.%L', '  todayMarker off'];
  for (const p of timeline.participants) {
    const served = requests.filter((a) => a.to.alias === p.alias);
    if (served.length === 0) continue;
    lines.push(`  section ${ganttText(p.name)}`, ...served.map((a) => taskLine(a, originNs, runEndNs)));
  }
  return lines.join('\n') + '\n';
}
