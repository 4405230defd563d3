import { describe, expect, it } from 'vitest';
import { arrowLines, escapeMermaidText, renderMermaid } from '../../src/render/mermaid.js';
import { CHUNK } from '../../src/render/text-chunks.js';
import { makeExchange } from '../helpers/exchanges.js';
import { simpleTimeline } from '../helpers/timelines.js';

describe('escapeMermaidText', () => {
  it('entity-encodes characters that break a mermaid statement', () => {
    expect(escapeMermaidText('GET /a;b#c<d>`e%%f')).toBe('GET /a#59;b#35;c#lt;d#gt;#96;e#37;#37;f');
  });

  it('keeps braces and colons, and flattens line breaks', () => {
    expect(escapeMermaidText('GET /v1/AUTH_{id}:x\r\ny')).toBe('GET /v1/AUTH_{id}:x y');
  });
});

describe('renderMermaid', () => {
  const timeline = simpleTimeline([
    makeExchange({ seq: 1, url: 'http://10.0.0.1:5000/v3/a;b' }),
    makeExchange({ seq: 2, url: 'http://10.0.0.2:9292/v2/images' }),
  ]);

  it('writes participants, request and response arrows with autonumber', () => {
    expect(renderMermaid(timeline)).toBe(
      [
        'sequenceDiagram',
        '  autonumber',
        '  participant client as client',
        '  participant 10_0_0_1_5000 as 10.0.0.1:5000',
        '  participant 10_0_0_2_9292 as 10.0.0.2:9292',
        '',
        '  client->>10_0_0_1_5000: GET /v3/a#59;b',
        '  10_0_0_1_5000-->>client: 200 OK /v3/a#59;b',
        '  client->>10_0_0_2_9292: GET /v2/images',
        '  10_0_0_2_9292-->>client: 200 OK /v2/images',
        '',
      ].join('\n'),
    );
  });

  it('restarts numbering where a view left arrows out, so numbers stay those of the full view', () => {
    const summary = { ...timeline, arrows: timeline.arrows.slice(2) };
    expect(renderMermaid(summary)).toContain('\n  autonumber 3\n  client->>10_0_0_2_9292: GET /v2/images\n');
  });

  it('writes every line of a diagram longer than a chunk, --nest bars and background bands included', () => {
    const exchanges = Array.from({ length: 1500 }, (_, i) => makeExchange({ seq: i + 1, url: `http://10.0.0.1:5000/v3/item/${i}`, status: i % 7 === 0 ? 404 : 200 }));
    const base = simpleTimeline(exchanges);
    const arrows = base.arrows.map((a) => ({ ...a, background: a.exchange.seq % 100 < 3 }));
    const nested = new Set([5, 900]);
    const text = renderMermaid({ ...base, arrows, nested });
    expect(text.length).toBeGreaterThan(2 * CHUNK);
    const lines = ['sequenceDiagram', '  autonumber', '  participant client as client', '  participant 10_0_0_1_5000 as 10.0.0.1:5000', ''];
    let background = false;
    for (const a of arrows) {
      if (a.background !== background) lines.push(a.background ? '  rect rgba(128, 128, 128, 0.15)' : '  end');
      background = a.background;
      lines.push(...arrowLines(a));
      if (nested.has(a.exchange.seq)) lines.push(a.kind === 'request' ? '  activate 10_0_0_1_5000' : '  deactivate 10_0_0_1_5000');
    }
    if (background) lines.push('  end');
    expect(text).toBe(`${lines.join('\n')}\n`);
  });
});
