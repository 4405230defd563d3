import { describe, expect, it } from 'vitest';
import { defaultConfig, type FlowscribeConfig } from '../../src/model/config.js';
import type { ExchangeRecord } from '../../src/model/exchange.js';
import { orderEvents } from '../../src/model/exchange-events.js';
import { openstackProfile } from '../../src/model/profiles/openstack/profile.js';
import { inferVariables } from '../../src/model/variables.js';
import { buildTimeline } from '../../src/model/timeline.js';
import { makeExchange } from '../helpers/exchanges.js';
import { HOST, IDS, openstackCapture, openstackExchanges } from '../helpers/openstack-capture.js';

function table(exchanges: ExchangeRecord[], config: FlowscribeConfig = defaultConfig()) {
  return inferVariables(orderEvents(exchanges), config, (e) => e.source.kind === 'process' && e.source.isClient, openstackProfile);
}

function labels(exchanges: ExchangeRecord[]) {
  return buildTimeline(openstackCapture(exchanges), { config: defaultConfig(), secrets: 'mask', view: 'full', include: [], exclude: [] });
}

describe('inferVariables', () => {
  it('names the image id from the POST /v2/images response and the endpoint id from the catalog', () => {
    const vars = table(openstackExchanges()).variables;
    expect(vars).toEqual([
      { name: 'image_endpoint_id', value: IDS.imageEndpoint },
      { name: 'image_id', value: IDS.image },
      { name: 'service_id', value: IDS.serviceProject },
    ]);
  });

  it("names a Swift account after the project of the service's token, and the command's own project project_id", () => {
    const t = table(openstackExchanges());
    expect(t.templatePath(`/v1/AUTH_${IDS.serviceProject}/glance/${IDS.image}`).template).toBe('/v1/AUTH_{service_id}/glance/{image_id}');
    const own = [...openstackExchanges(), makeExchange({ seq: 11, url: `${HOST}/compute/v2/${IDS.adminProject}/servers`, startMs: 600 })];
    expect(table(own).templatePath(`/compute/v2/${IDS.adminProject}/servers`).template).toBe('/compute/v2/{project_id}/servers');
  });

  it('names ids nothing explained after the path segment before them, else id_N', () => {
    const ids = ['0f0e0d0c-0b0a-4998-8776-655443322110', 'aaaaaaaabbbbccccddddeeeeeeeeeeee', 'ffffffffffffffffffffffffffffffff'];
    const exchanges = [
      makeExchange({ seq: 1, url: `${HOST}/volume/v3/volumes/${ids[0]}` }),
      makeExchange({ seq: 2, url: `${HOST}/v2.1/${ids[1]}` }),
      makeExchange({ seq: 3, url: `${HOST}/${ids[2]}/x` }),
      makeExchange({ seq: 4, url: `${HOST}/v1/AUTH_${ids[2]}` }),
    ];
    expect(table(exchanges).variables.map((v) => v.name)).toEqual(['volume_id', 'id_1', 'id_2']);
  });

  it('gives the same value the same name everywhere, and a second value a distinct name', () => {
    const other = '11111111-2222-4333-8444-555555555555';
    const exchanges = [
      ...openstackExchanges(),
      makeExchange({ seq: 11, url: `${HOST}/image/v2/images/${other}`, startMs: 600 }),
      makeExchange({ seq: 12, url: `${HOST}/image/v2/images/${IDS.image}`, startMs: 700 }),
    ];
    const t = labels(exchanges);
    const gets = t.arrows.filter((a) => a.kind === 'request' && a.exchange.seq >= 11).map((a) => a.label);
    expect(gets).toEqual(['GET /image/v2/images/{image_id_2}', 'GET /image/v2/images/{image_id}']);
  });

  it('numbers many values of one name in order, skipping a suffix the config gave away', () => {
    const values = Array.from({ length: 6 }, (_, i) => `${String(i + 1).repeat(8)}-2222-4333-8444-555555555555`);
    const exchanges = values.map((v, i) => makeExchange({ seq: i + 1, url: `${HOST}/image/v2/images/${v}`, startMs: i * 10 }));
    const config = { ...defaultConfig(), variables: { [values[1] as string]: 'image_id_3' } };
    expect(table(exchanges, config).variables.map((v) => v.name)).toEqual(['image_id', 'image_id_3', 'image_id_2', 'image_id_4', 'image_id_5', 'image_id_6']);
  });

  it('uses a name seen earlier in a body or a Location header over the path segment', () => {
    const server = '9a9a9a9a-1b1b-4c2c-8d3d-4e4e4e4e4e4e';
    const port = 'b2b2b2b2c3c34d4d8e5e6f6f6f6f6f6f';
    const exchanges = [
      makeExchange({ seq: 1, method: 'POST', url: `${HOST}/compute/v2.1/servers`, status: 202, responseBody: JSON.stringify({ server: { id: server } }) }),
      makeExchange({ seq: 2, url: `${HOST}/networking/v2.0/ports?device_id=${server}`, responseBody: JSON.stringify({ ports: [{ id: port, device_id: server }] }) }),
      makeExchange({ seq: 3, url: `${HOST}/networking/v2.0/things/${port}` }),
      makeExchange({ seq: 4, url: `${HOST}/compute/v2.1/x/${server}` }),
    ];
    expect(table(exchanges).variables).toEqual([
      { name: 'port_id', value: port },
      { name: 'server_id', value: server },
    ]);
  });

  it('does not use clues that come only after the path that needs them', () => {
    const id = 'c0c0c0c0d1d14e2e8f3f4a4a4a4a4a4a';
    const exchanges = [
      makeExchange({ seq: 1, url: `${HOST}/things/${id}` }),
      makeExchange({ seq: 2, url: `${HOST}/x`, responseBody: JSON.stringify({ widget_id: id }) }),
    ];
    expect(table(exchanges).variables).toEqual([{ name: 'thing_id', value: id }]);
  });

  it('lets the config rename by value or by inferred name, and name literal segments', () => {
    const config: FlowscribeConfig = {
      ...defaultConfig(),
      variables: { service_id: 'service_project_id', [IDS.image]: 'cirros_id', glance: 'container' },
    };
    const t = table(openstackExchanges(), config);
    expect(t.templatePath(`/v1/AUTH_${IDS.serviceProject}/glance/${IDS.image}`).template).toBe(
      '/v1/AUTH_{service_project_id}/{container}/{cirros_id}',
    );
  });

  it('keeps the query string in the title only', () => {
    const t = labels(openstackExchanges());
    const limits = t.arrows.find((a) => a.label === 'GET /identity/v3/limits');
    expect(limits?.title).toBe(`GET /identity/v3/limits?service_id=${IDS.imageService}&project_id=${IDS.adminProject}`);
    expect(limits?.message.httpTitle).toBe(`GET ${HOST}/identity/v3/limits?service_id=${IDS.imageService}&project_id=${IDS.adminProject}`);
    expect(t.arrows.every((a) => !a.label.includes('?'))).toBe(true);
  });
});
