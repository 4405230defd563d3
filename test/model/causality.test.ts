/** Causality: a service's calls are children of the request it was serving (time containment + attribution). */
import { describe, expect, it } from 'vitest';
import { captureParents, findParents } from '../../src/model/causality.js';
import { readCapture } from '../../src/model/capture.js';
import { defaultConfig } from '../../src/model/config.js';
import { httpProfile } from '../../src/model/profiles/http.js';
import { openstackProfile } from '../../src/model/profiles/openstack/profile.js';
import type { ExchangeRecord } from '../../src/model/exchange.js';
import { makeExchange } from '../helpers/exchanges.js';
import { IMAGE_CREATE } from '../helpers/interchange-captures.js';

/** Names by URL port: 9292 is glance, 5000 keystone; the sender is the listener label or `client`. */
function names(e: ExchangeRecord): { from: string; to: string } {
  const to = e.request.url.includes(':9292') ? 'glance' : 'keystone';
  return { from: e.source.kind === 'listener' ? e.source.label : 'client', to };
}
const glance = { kind: 'listener', label: 'glance' } as const;

describe('findParents', () => {
  it('makes a service call the child of the request the service was serving', () => {
    const parent = makeExchange({ seq: 1, url: 'http://127.0.0.1:9292/v2/images', startMs: 0, durationMs: 100 });
    const child = makeExchange({ seq: 2, source: glance, startMs: 10, durationMs: 20 });
    expect(findParents([parent, child], names, openstackProfile.requestIdHeaders)).toEqual(new Map([[2, 1]]));
  });

  it('leaves a call made after the served request ended without a parent', () => {
    const parent = makeExchange({ seq: 1, url: 'http://127.0.0.1:9292/v2/images', startMs: 0, durationMs: 100 });
    const later = makeExchange({ seq: 2, source: glance, startMs: 90, durationMs: 20 });
    expect(findParents([parent, later], names, openstackProfile.requestIdHeaders).size).toBe(0);
  });

  it('does not nest a call of another sender (the client calling keystone during its own glance call)', () => {
    const parent = makeExchange({ seq: 1, url: 'http://127.0.0.1:9292/v2/images', startMs: 0, durationMs: 100 });
    const own = makeExchange({ seq: 2, startMs: 10, durationMs: 20 });
    expect(findParents([parent, own], names, openstackProfile.requestIdHeaders).size).toBe(0);
  });

  it('picks the innermost served request, unless a request id links the call to another one', () => {
    const outer = makeExchange({ seq: 1, url: 'http://127.0.0.1:9292/v2/images', startMs: 0, durationMs: 200, responseHeaders: [['x-openstack-request-id', 'req-outer']] });
    const inner = makeExchange({ seq: 2, url: 'http://127.0.0.1:9292/v2/images', startMs: 5, durationMs: 100, responseHeaders: [['x-openstack-request-id', 'req-inner']] });
    const plain = makeExchange({ seq: 3, source: glance, startMs: 10, durationMs: 10 });
    const linked = makeExchange({ seq: 4, source: glance, startMs: 30, durationMs: 10, requestHeaders: [['X-OpenStack-Request-ID', 'req-outer']] });
    expect(findParents([outer, inner, plain, linked], names, openstackProfile.requestIdHeaders)).toEqual(new Map([[3, 2], [4, 1]]));
  });

  it('links by the profile\'s request-id headers only: plain HTTP knows X-Request-ID, not OpenStack\'s', () => {
    const outer = makeExchange({ seq: 1, url: 'http://127.0.0.1:9292/v2/images', startMs: 0, durationMs: 200, responseHeaders: [['X-Request-ID', 'r-outer']] });
    const inner = makeExchange({ seq: 2, url: 'http://127.0.0.1:9292/v2/images', startMs: 5, durationMs: 100 });
    const byId = makeExchange({ seq: 3, source: glance, startMs: 30, durationMs: 10, requestHeaders: [['X-Request-ID', 'r-outer']] });
    const byOpenStackId = makeExchange({ seq: 4, source: glance, startMs: 40, durationMs: 10, requestHeaders: [['X-OpenStack-Request-ID', 'r-outer']] });
    expect(findParents([outer, inner, byId, byOpenStackId], names, httpProfile.requestIdHeaders)).toEqual(new Map([[3, 1], [4, 2]]));
  });
});

describe('captureParents on the lab image-create capture', () => {
  it('puts glance-api\'s 20 calls under POST /v2/images (9) and PUT /v2/images/{id}/file (11)', async () => {
    const capture = await readCapture(IMAGE_CREATE);
    const parents = captureParents(capture, defaultConfig());
    const bySeq = new Map(capture.exchanges.map((e) => [e.seq, e]));
    const children = (method: string, path: RegExp) => {
      const p = capture.exchanges.find((e) => e.request.method === method && path.test(e.request.url));
      return [...parents].filter(([, parent]) => parent === p?.seq).map(([child]) => bySeq.get(child));
    };
    const underPost = children('POST', /\/v2\/images$/);
    const underPut = children('PUT', /\/v2\/images\/[^/]+\/file$/);
    expect(underPost).toHaveLength(9);
    expect(underPut).toHaveLength(11);
    expect([...underPost, ...underPut].every((e) => e?.source.kind === 'listener' && e.source.label === 'glance-api')).toBe(true);
    expect(parents.size).toBe(20);
  });
});
