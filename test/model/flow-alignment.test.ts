import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/model/config.js';
import type { ExchangeRecord } from '../../src/model/exchange.js';
import { alignFlows, arrowKey, flowsAreSame, type AlignedStep } from '../../src/model/flow-alignment.js';
import { buildTimeline, type Timeline } from '../../src/model/timeline.js';
import { makeExchange } from '../helpers/exchanges.js';
import { HOST, IDS, openstackCapture, openstackExchanges } from '../helpers/openstack-capture.js';

function timeline(exchanges: ExchangeRecord[]): Timeline {
  return buildTimeline(openstackCapture(exchanges), { config: defaultConfig(), secrets: 'mask', view: 'full', include: [], exclude: [] });
}

const stepLine = (s: AlignedStep): string => {
  if (s.kind === 'added') return `+ ${s.b.label}`;
  if (s.kind === 'removed') return `- ${s.a.label}`;
  return `${s.kind === 'same' ? '=' : '~'} ${s.b.label}`;
};

const ex = (seq: number, path: string, spec: Partial<Parameters<typeof makeExchange>[0]> = {}): ExchangeRecord =>
  makeExchange({ seq, url: `${HOST}/identity${path}`, ...spec });

describe('alignFlows', () => {
  it('finds two recordings of the same flow the same, although ids and tokens differ', () => {
    const a = timeline(openstackExchanges());
    const other = openstackExchanges().map((e) => JSON.parse(JSON.stringify(e).replaceAll(IDS.image, 'aaaaaaaa-7865-4d3d-ad19-2a59fb3f1870')) as ExchangeRecord);
    const b = timeline(other);
    const alignment = alignFlows(a.arrows, b.arrows);
    expect(alignment.counts).toEqual({ same: a.arrows.length, changed: 0, removed: 0, added: 0 });
    expect(flowsAreSame(alignment)).toBe(true);
  });

  it('aligns by sequence, not position: a skipped exchange is one removal, the rest still pair up', () => {
    const full = [ex(1, '/'), ex(2, '/v3/auth/tokens', { method: 'POST', status: 201 }), ex(3, '/v3/limits')];
    const warm = [ex(1, '/'), ex(3, '/v3/limits')];
    const alignment = alignFlows(timeline(full).arrows, timeline(warm).arrows);
    expect(alignment.steps.map(stepLine)).toEqual([
      '= GET /identity/', '= 200 OK /identity/',
      '- POST /identity/v3/auth/tokens', '- 201 OK /identity/v3/auth/tokens',
      '= GET /identity/v3/limits', '= 200 OK /identity/v3/limits',
    ]);
    expect(alignment.counts).toEqual({ same: 4, changed: 0, removed: 2, added: 0 });
    expect(flowsAreSame(alignment)).toBe(false);
  });

  it('reports additions on the other side, and keeps both orders in the merged flow', () => {
    const a = [ex(1, '/a'), ex(2, '/c')];
    const b = [ex(1, '/b'), ex(2, '/c'), ex(3, '/d')];
    const lines = alignFlows(timeline(a).arrows, timeline(b).arrows).steps.map(stepLine);
    expect(lines).toEqual([
      '- GET /identity/a', '- 200 OK /identity/a', '+ GET /identity/b', '+ 200 OK /identity/b',
      '= GET /identity/c', '= 200 OK /identity/c', '+ GET /identity/d', '+ 200 OK /identity/d',
    ]);
  });

  it('calls the same request answered with another status a change, naming both statuses', () => {
    const a = [ex(1, '/v3/auth/tokens', { method: 'POST', status: 401, reason: 'Unauthorized' })];
    const b = [ex(1, '/v3/auth/tokens', { method: 'POST', status: 201, reason: 'Created' })];
    const alignment = alignFlows(timeline(a).arrows, timeline(b).arrows);
    expect(alignment.steps.map((s) => s.kind)).toEqual(['same', 'changed']);
    const changed = alignment.steps[1]!;
    expect(changed.kind === 'changed' && changed.reasons).toEqual([{ kind: 'status', a: '401', b: '201' }]);
  });

  it('compares header names unless ignored, and durations only beyond the threshold', () => {
    const a = [ex(1, '/x', { responseHeaders: [['Date', 'x'], ['Content-Type', 'text/plain']], durationMs: 10 })];
    const b = [ex(1, '/x', { responseHeaders: [['Content-Type', 'text/plain'], ['X-New', '1']], durationMs: 500 })];
    const [ta, tb] = [timeline(a).arrows, timeline(b).arrows];
    const response = (o: Parameters<typeof alignFlows>[2]) => alignFlows(ta, tb, o).steps[1]!;
    const r1 = response({ ignoreHeaders: [], timeThresholdMs: null });
    expect(r1.kind === 'changed' && r1.reasons).toEqual([{ kind: 'headers', added: ['x-new'], removed: ['date'] }]);
    const r2 = response({ ignoreHeaders: ['DATE', 'x-new'], timeThresholdMs: 1000 });
    expect(r2.kind).toBe('same');
    const r3 = response({ ignoreHeaders: ['Date', 'X-New'], timeThresholdMs: 100 });
    expect(r3.kind === 'changed' && r3.reasons).toEqual([{ kind: 'duration', aMs: 10, bMs: 500 }]);
  });

  it('keys arrows on ends, direction, method and templated path', () => {
    const t = timeline(openstackExchanges());
    expect(arrowKey(t.arrows[14]!)).toBe('request openstack-client glance-api PUT /image/v2/images/{image_id}/file');
    expect(arrowKey(t.arrows[19]!)).toBe('response glance-api openstack-client PUT /image/v2/images/{image_id}/file');
  });

  it('handles empty flows', () => {
    const t = timeline([ex(1, '/')]);
    expect(alignFlows([], []).steps).toEqual([]);
    expect(alignFlows(t.arrows, []).counts).toEqual({ same: 0, changed: 0, removed: 2, added: 0 });
    expect(alignFlows([], t.arrows).counts).toEqual({ same: 0, changed: 0, removed: 0, added: 2 });
  });
});

/** The alignment as first written: the whole table of suffix LCS lengths, walked the same way. */
function tableAlignment(a: string[], b: string[]): string[] {
  const m = b.length;
  const table = new Uint32Array((a.length + 1) * (m + 1));
  for (let i = a.length - 1; i >= 0; i -= 1) {
    for (let j = m - 1; j >= 0; j -= 1) {
      table[i * (m + 1) + j] =
        a[i] === b[j] ? table[(i + 1) * (m + 1) + j + 1]! + 1 : Math.max(table[(i + 1) * (m + 1) + j]!, table[i * (m + 1) + j + 1]!);
    }
  }
  const steps: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      steps.push(`= ${a[i]}`);
      i += 1;
      j += 1;
    } else if (j >= m || (i < a.length && table[(i + 1) * (m + 1) + j]! >= table[i * (m + 1) + j + 1]!)) {
      steps.push(`- ${a[i]}`);
      i += 1;
    } else {
      steps.push(`+ ${b[j]}`);
      j += 1;
    }
  }
  return steps;
}

describe('alignFlows against the whole-table alignment it replaced', () => {
  it('chooses the same steps for 300 random pairs of flows over few paths (many equally long alignments)', () => {
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const flow = (): ExchangeRecord[] => {
      const shared = random(4); // a common beginning, sometimes
      return Array.from({ length: random(14) }, (_, k) => ex(k + 1, k < shared ? '/same' : `/p${random(3)}`, { method: random(4) === 0 ? 'POST' : 'GET' }));
    };
    for (let round = 0; round < 300; round += 1) {
      const a = timeline(flow()).arrows;
      const b = timeline(flow()).arrows;
      const mark = { same: '=', changed: '=', removed: '-', added: '+' } as const;
      const got = alignFlows(a, b).steps.map((s) => `${mark[s.kind]} ${arrowKey(s.kind === 'added' ? s.b : s.a)}`);
      expect(got).toEqual(tableAlignment(a.map(arrowKey), b.map(arrowKey)));
    }
  });
});
