/**
 * A deliberately simple timeline builder for renderer tests: arrows in time order, participants
 * named `client` and `host:port`, labels `METHOD /path`. It lets the renderers be tested on
 * hand-made timelines, independent of the model's naming and variable rules.
 */
import type { ExchangeRecord } from '../../src/model/exchange.js';
import type { Arrow, Participant, Timeline, Variable } from '../../src/model/timeline.js';

const CLIENT: Participant = { alias: 'client', name: 'client' };

function server(url: string): Participant {
  const { host } = new URL(url);
  return { alias: host.replace(/[^A-Za-z0-9]/g, '_'), name: host };
}

export function simpleTimeline(exchanges: ExchangeRecord[], variables: Variable[] = []): Timeline {
  const events: Array<{ ns: number; make: (n: number) => Arrow }> = [];
  for (const e of exchanges) {
    const from = e.source.kind === 'listener' ? { alias: e.source.label.replace(/-/g, '_'), name: e.source.label } : CLIENT;
    const to = server(e.request.url);
    const path = new URL(e.request.url).pathname;
    events.push({
      ns: e.timings.requestStart.ns,
      make: (n) => ({
        n, kind: 'request', from, to, exchange: e, background: false,
        label: `${e.request.method} ${path}`, title: `${e.request.method} ${path}`,
        message: { httpTitle: `${e.request.method} ${e.request.url}`, headers: e.request.headers, body: e.request.body },
      }),
    });
    const r = e.response;
    if (!r) continue;
    const status = `${r.statusCode} ${r.statusMessage}`;
    events.push({
      ns: e.timings.responseEnd?.ns ?? Number.MAX_SAFE_INTEGER,
      make: (n) => ({
        n, kind: 'response', from: to, to: from, exchange: e, background: false,
        label: `${status} ${path}`, title: `${status} ${path}`,
        message: { httpTitle: `${status} ${e.request.url}`, headers: r.headers, body: r.body },
      }),
    });
  }
  const arrows = events.sort((a, b) => a.ns - b.ns).map((ev, i) => ev.make(i + 1));
  const participants: Participant[] = [];
  for (const a of arrows) {
    for (const p of [a.from, a.to]) if (!participants.some((q) => q.alias === p.alias)) participants.push(p);
  }
  return { participants, arrows, variables, backgroundCount: 0 };
}
