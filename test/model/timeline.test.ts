import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/model/config.js';
import type { ExchangeRecord } from '../../src/model/exchange.js';
import { join } from 'node:path';
import { readCapture } from '../../src/model/capture.js';
import { buildTimeline, buildTimelines, type Timeline } from '../../src/model/timeline.js';
import { REPO_ROOT } from '../helpers/shipped-capture.js';
import { makeExchange } from '../helpers/exchanges.js';
import { HOST, IDS, openstackCapture, openstackExchanges } from '../helpers/openstack-capture.js';

function build(exchanges: ExchangeRecord[] = openstackExchanges()): Timeline {
  return buildTimeline(openstackCapture(exchanges), { config: defaultConfig(), secrets: 'mask', view: 'full', include: [], exclude: [] });
}

const arrowLines = (t: Timeline) => t.arrows.map((a) => `${a.n} ${a.from.alias}${a.kind === 'request' ? '->>' : '-->>'}${a.to.alias} ${a.label}`);

describe('buildTimeline', () => {
  it('puts nested service calls between the request and the response that contain them', () => {
    expect(arrowLines(build())).toEqual([
      '1 osc->>keystone GET /identity',
      '2 keystone-->>osc 300 MULTIPLE CHOICES /identity',
      '3 osc->>keystone POST /identity/v3/auth/tokens',
      '4 keystone-->>osc 201 CREATED /identity/v3/auth/tokens',
      '5 osc->>glance POST /image/v2/images',
      '6 glance->>keystone POST /identity/v3/auth/tokens',
      '7 keystone-->>glance 201 CREATED /identity/v3/auth/tokens',
      '8 glance->>keystone GET /identity/v3/auth/tokens',
      '9 keystone-->>glance 200 OK /identity/v3/auth/tokens',
      '10 glance->>keystone GET /identity/v3/endpoints/{image_endpoint_id}',
      '11 keystone-->>glance 200 OK /identity/v3/endpoints/{image_endpoint_id}',
      '12 glance->>keystone GET /identity/v3/limits',
      '13 keystone-->>glance 200 OK /identity/v3/limits',
      '14 glance-->>osc 201 Created /image/v2/images',
      '15 osc->>glance PUT /image/v2/images/{image_id}/file',
      '16 glance->>swift HEAD /v1/AUTH_{service_id}/glance',
      '17 swift-->>glance 204 No Content /v1/AUTH_{service_id}/glance',
      '18 glance->>swift PUT /v1/AUTH_{service_id}/glance/{image_id}',
      '19 swift-->>glance 201 Created /v1/AUTH_{service_id}/glance/{image_id}',
      '20 glance-->>osc 204 No Content /image/v2/images/{image_id}/file',
    ]);
  });

  it('lists participants in order of appearance, the client first', () => {
    expect(build().participants).toEqual([
      { alias: 'osc', name: 'openstack-client' },
      { alias: 'keystone', name: 'keystone-api' },
      { alias: 'glance', name: 'glance-api' },
      { alias: 'swift', name: 'swift-proxy-server' },
    ]);
  });

  it('titles the http blocks with method or status and the full real URL', () => {
    const t = build();
    expect(t.arrows[14]!.message.httpTitle).toBe(`PUT ${HOST}/image/v2/images/${IDS.image}/file`);
    expect(t.arrows[19]!.message.httpTitle).toBe(`204 No Content ${HOST}/image/v2/images/${IDS.image}/file`);
    expect(t.arrows[13]!.message.headers[1]).toEqual(['Location', `http://127.0.0.1:60999/v2/images/${IDS.image}`]);
    expect(t.arrows[13]!.exchange.seq).toBe(3);
  });

  it('orders by the monotonic clock, not by seq, and breaks ties by seq', () => {
    const exchanges = [
      makeExchange({ seq: 1, url: `${HOST}/identity/a`, startMs: 100, durationMs: 50 }),
      makeExchange({ seq: 2, url: `${HOST}/identity/b`, startMs: 90, durationMs: 5 }),
      makeExchange({ seq: 3, url: `${HOST}/identity/c`, startMs: 100, durationMs: 50 }),
    ];
    expect(arrowLines(build(exchanges)).map((l) => l.replace(/^\d+ \S+ /, ''))).toEqual([
      'GET /identity/b', '200 OK /identity/b', 'GET /identity/a', 'GET /identity/c', '200 OK /identity/c', '200 OK /identity/a',
    ]);
  });

  it('lets a nested call that ends at the same instant end before the call that contains it', () => {
    const exchanges = [
      makeExchange({ seq: 1, url: `${HOST}/image/outer`, startMs: 100, durationMs: 50 }),
      makeExchange({ seq: 2, url: `${HOST}/identity/inner`, startMs: 100, durationMs: 50, source: { kind: 'listener', label: 'glance-api' } }),
    ];
    expect(arrowLines(build(exchanges))).toEqual([
      '1 osc->>h10_0_0_5_80 GET /image/outer',
      '2 glance->>keystone GET /identity/inner',
      '3 keystone-->>glance 200 OK /identity/inner',
      '4 h10_0_0_5_80-->>osc 200 OK /image/outer',
    ]);
  });

  it('shows transport failures as ✕ CODE response arrows and in-flight exchanges without one', () => {
    const ok = makeExchange({ seq: 1, url: `${HOST}/identity` });
    const failed: ExchangeRecord = {
      ...makeExchange({ seq: 2, url: 'http://10.0.0.9:9999/x' }),
      state: 'failed', error: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 10.0.0.9:9999' }, response: null,
    };
    failed.timings = { ...failed.timings, responseStart: null, responseEnd: null };
    const incomplete: ExchangeRecord = { ...makeExchange({ seq: 3, url: `${HOST}/image/v2/images` }), state: 'incomplete', response: null };
    const t = build([ok, failed, incomplete]);
    expect(arrowLines(t)).toEqual([
      '1 osc->>keystone GET /identity',
      '2 keystone-->>osc 200 OK /identity',
      '3 osc->>h10_0_0_9_9999 GET /x',
      '4 h10_0_0_9_9999-->>osc ✕ ECONNREFUSED /x',
      '5 osc->>h10_0_0_5_80 GET /image/v2/images',
    ]);
    expect(t.arrows[3]!.message).toEqual({
      httpTitle: '✕ ECONNREFUSED http://10.0.0.9:9999/x',
      headers: [],
      body: expect.objectContaining({ sizeBytes: 0, data: '' }),
    });
  });

  it('numbers an empty capture as an empty timeline', () => {
    expect(build([])).toEqual({ participants: [], arrows: [], variables: [], backgroundCount: 0 });
  });
});

describe('buildTimelines', () => {
  it('numbers each summary arrow as its full-view arrow (the number of its ### (n) section)', async () => {
    const capture = await readCapture(join(REPO_ROOT, 'captures', 'openstack-image-create.jsonl'));
    const { full, summary } = buildTimelines(capture, { config: defaultConfig(), secrets: 'mask', include: [], exclude: [] });
    const fullNumbers = new Map(full.arrows.map((a) => [`${a.exchange.seq}:${a.kind}`, a.n]));
    expect(summary.arrows.length).toBeLessThan(full.arrows.length);
    expect(summary.arrows.map((a) => a.n)).toEqual(summary.arrows.map((a) => fullNumbers.get(`${a.exchange.seq}:${a.kind}`)));
    expect(full.arrows.map((a) => a.n)).toEqual(full.arrows.map((_, i) => i + 1));
  });

  it('gives the views each would have alone, the summary holding the full view\'s arrows themselves', async () => {
    const capture = await readCapture(join(REPO_ROOT, 'captures', 'openstack-image-create.jsonl'));
    for (const secrets of ['mask', 'label', 'raw'] as const) {
      const options = { config: defaultConfig(), secrets, include: [], exclude: [] };
      const both = buildTimelines(capture, options);
      expect(both.full).toEqual(buildTimeline(capture, { ...options, view: 'full' }));
      expect(both.summary).toEqual(buildTimeline(capture, { ...options, view: 'summary' }));
      const fullArrows = new Set(both.full.arrows);
      expect(both.summary.arrows.filter((a) => !fullArrows.has(a))).toEqual([]);
    }
  });
});
