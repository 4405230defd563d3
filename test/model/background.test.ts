/**
 * Background calls: what services did on their own while the command ran is told apart from what
 * the command caused (src/model/background.ts), marked in the full view and folded in the summary.
 */
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/model/config.js';
import type { Capture, ExchangeRecord } from '../../src/model/exchange.js';
import { buildTimelines } from '../../src/model/timeline.js';
import { renderMermaid } from '../../src/render/mermaid.js';
import { makeExchange, makeHeader, makeTrailer } from '../helpers/exchanges.js';

const NOVA = 'http://127.0.0.1:8774';
const PLACEMENT = 'http://127.0.0.1:8778';
const NEUTRON = 'http://127.0.0.1:9696';
const KEYSTONE = 'http://127.0.0.1:5000';
const SERVER = '11111111-2222-3333-4444-555555555555';
const RP = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const from = (label: string): ExchangeRecord['source'] => ({ kind: 'listener', label });
const client: ExchangeRecord['source'] = { kind: 'process', isClient: true, pid: 1, comm: 'openstack', cmdline: ['openstack'] };

function endpoint(type: string, name: string, url: string, n: number) {
  return { type, name, id: `${n}`.repeat(32), endpoints: [{ id: `${n + 5}`.repeat(32), interface: 'public', region: 'RegionOne', url }] };
}

/** The client's token, with the catalog that names the services' ends. */
const TOKEN = JSON.stringify({
  token: { catalog: [endpoint('identity', 'keystone', KEYSTONE, 1), endpoint('compute', 'nova', `${NOVA}/v2.1`, 2),
    endpoint('placement', 'placement', PLACEMENT, 3), endpoint('network', 'neutron', NEUTRON, 4)] },
});

/** A server create: the client's POST, nested and asynchronous service calls, and periodic ones. */
function serverCreate(): ExchangeRecord[] {
  return [
    makeExchange({ seq: 0, source: client, method: 'POST', url: `${KEYSTONE}/v3/auth/tokens`, startMs: -200, status: 201, responseBody: TOKEN }),
    makeExchange({ seq: 1, source: client, method: 'POST', url: `${NOVA}/v2.1/servers`, startMs: 0, durationMs: 500, status: 202,
      responseBody: JSON.stringify({ server: { id: SERVER } }) }),
    // nova-api validates the client's token while serving the POST: nested.
    makeExchange({ seq: 2, source: from('nova-api'), url: `${KEYSTONE}/v3/auth/tokens`, startMs: 100 }),
    // The scheduler, asynchronously: a call without ids, then one with the server's id (one burst).
    makeExchange({ seq: 3, source: from('nova-scheduler'), url: `${PLACEMENT}/allocation_candidates?resources=VCPU:1`, startMs: 900 }),
    makeExchange({ seq: 4, source: from('nova-scheduler'), method: 'PUT', url: `${PLACEMENT}/allocations/${SERVER}`, startMs: 1000 }),
    // A periodic task of nova-compute, seconds apart, and placement's token check while serving it.
    makeExchange({ seq: 5, source: from('nova-compute'), url: `${PLACEMENT}/resource_providers/${RP}/allocations`, startMs: 4000, durationMs: 300 }),
    makeExchange({ seq: 6, source: from('placement-api'), url: `${KEYSTONE}/v3/auth/tokens`, startMs: 4100 }),
    // nova-compute builds the server: a token, then the port for the server.
    makeExchange({ seq: 7, source: from('nova-compute'), method: 'POST', url: `${KEYSTONE}/v3/auth/tokens`, startMs: 8000 }),
    makeExchange({ seq: 8, source: from('nova-compute'), method: 'POST', url: `${NEUTRON}/v2.0/ports`, startMs: 8200, status: 201,
      requestBody: JSON.stringify({ port: { device_id: SERVER } }) }),
    makeExchange({ seq: 9, source: client, url: `${NOVA}/v2.1/servers/${SERVER}`, startMs: 9000 }),
  ];
}

function capture(exchanges: ExchangeRecord[], argv: string[] | null = ['openstack', 'server', 'create', 'demo']): Capture {
  return { header: makeHeader({ argv }), exchanges, trailer: makeTrailer(exchanges.length), warnings: [] };
}

function views(c: Capture) {
  return buildTimelines(c, { config: defaultConfig(), secrets: 'mask', include: [], exclude: [] });
}

const requestLines = (arrows: ReturnType<typeof views>['full']['arrows']) =>
  arrows.filter((a) => a.kind === 'request').map((a) => `${a.from.name} ${a.label}`);

describe('background calls', () => {
  it('marks only the periodic task and the call nested in it as background', () => {
    const { full } = views(capture(serverCreate()));
    expect(requestLines(full.arrows)).toEqual([
      'openstack-client POST /v3/auth/tokens',
      'openstack-client POST /v2.1/servers',
      'nova-api GET /v3/auth/tokens',
      'nova-scheduler GET /allocation_candidates',
      'nova-scheduler PUT /allocations/{server_id}',
      'nova-compute (background) GET /resource_providers/{resource_provider_id}/allocations',
      'placement-api (background) GET /v3/auth/tokens',
      'nova-compute POST /v3/auth/tokens',
      'nova-compute POST /v2.0/ports',
      'openstack-client GET /v2.1/servers/{server_id}',
    ]);
    expect(full.backgroundCount).toBe(2);
  });

  it('folds background calls out of the summary and draws them on a band in the full diagram', () => {
    const { full, summary } = views(capture(serverCreate()));
    expect(summary.arrows.some((a) => a.background)).toBe(false);
    expect(summary.arrows).toHaveLength(full.arrows.length - 4);
    const lines = renderMermaid(full).split('\n');
    const band = lines.indexOf('  rect rgba(128, 128, 128, 0.15)');
    expect(band).toBeGreaterThan(0);
    expect(lines.slice(band + 1, band + 5).every((l) => l.includes('(background)'))).toBe(true);
    expect(lines[band + 5]).toBe('  end');
  });

  it('counts nothing as background without a wrapped command (proxy mode)', () => {
    const { full } = views(capture(serverCreate(), null));
    expect(full.backgroundCount).toBe(0);
    expect(full.arrows.some((a) => a.background || a.label.includes('(background)'))).toBe(false);
  });

  it('finds the same background calls whatever order the capture lists them in (calls sorted by start once)', () => {
    const background = (exchanges: ExchangeRecord[]) =>
      requestLines(views(capture(exchanges)).full.arrows).filter((l) => l.includes('(background)')).sort();
    const forward = background(serverCreate());
    expect(forward).toHaveLength(2);
    expect(background(serverCreate().reverse())).toEqual(forward);
    const shuffled = serverCreate();
    expect(background([...shuffled.slice(5), ...shuffled.slice(0, 5)])).toEqual(forward);
  });
});
