import { describe, expect, it } from 'vitest';
import { catalogInBody, matchEndpoint, parseCatalogs } from '../../../src/model/profiles/openstack/catalog.js';
import { makeExchange } from '../../helpers/exchanges.js';
import { catalog, HOST, IDS, openstackCapture, SWIFT } from '../../helpers/openstack-capture.js';

describe('parseCatalogs', () => {
  it('keeps every region and interface of every token response, once each', () => {
    const { endpoints } = parseCatalogs(openstackCapture());
    const image = endpoints.filter((e) => e.serviceType === 'image');
    expect(image.map((e) => [e.interface, e.region, e.endpointId])).toEqual([
      ['public', 'RegionOne', IDS.imageEndpoint],
      ['internal', 'RegionOne', IDS.imageEndpointInternal],
      ['public', 'RegionTwo', IDS.imageEndpointRegionTwo],
    ]);
    expect(image.every((e) => e.serviceName === 'glance' && e.serviceId === IDS.imageService)).toBe(true);
    // Both tokens list swift's per-project public URL; the admin URL is shared and kept once.
    const swift = endpoints.filter((e) => e.serviceType === 'object-store').map((e) => e.url);
    expect(swift).toEqual([SWIFT, `${SWIFT}/v1/AUTH_${IDS.adminProject}`, `${SWIFT}/v1/AUTH_${IDS.serviceProject}`]);
  });

  it('reads the v2.0 serviceCatalog with publicURL/internalURL/adminURL', () => {
    const body = {
      access: {
        serviceCatalog: [
          { type: 'image', name: 'glance', endpoints: [{ region: 'R1', id: 'e1', publicURL: 'http://pub:9292', internalURL: 'http://int:9292', adminURL: 'http://adm:9292' }] },
        ],
      },
    };
    expect(catalogInBody(body).map((e) => [e.interface, e.url, e.region])).toEqual([
      ['public', 'http://pub:9292', 'R1'],
      ['internal', 'http://int:9292', 'R1'],
      ['admin', 'http://adm:9292', 'R1'],
    ]);
  });

  it('reads GET /v3/auth/catalog and ignores bodies without a catalog', () => {
    const e = makeExchange({ seq: 1, responseBody: JSON.stringify({ catalog: catalog(IDS.adminProject) }) });
    const other = makeExchange({ seq: 2, responseBody: '{"token": {"methods": []}}' });
    const binary = makeExchange({ seq: 3, responseBody: JSON.stringify({ catalog: catalog(IDS.serviceProject) }) });
    if (binary.response) binary.response.body.encoding = 'base64';
    // keystone 1 + glance 3 + swift 2 + nova 1 + cinder 1; the base64 body is not looked into.
    expect(parseCatalogs({ exchanges: [e, other, binary] }).endpoints).toHaveLength(8);
  });
});

describe('matchEndpoint', () => {
  const cat = parseCatalogs(openstackCapture());

  it('takes the longest URL prefix on a segment boundary', () => {
    expect(matchEndpoint(cat, `${SWIFT}/v1/AUTH_${IDS.serviceProject}/glance`)?.interface).toBe('public');
    expect(matchEndpoint(cat, `${SWIFT}/info`)?.interface).toBe('admin');
    expect(matchEndpoint(cat, `${HOST}/image/v2/images`)?.endpointId).toBe(IDS.imageEndpoint);
    expect(matchEndpoint(cat, `${HOST}/imagery`)).toBeNull();
  });

  it('matches internal and other-region endpoints, with default ports made explicit', () => {
    expect(matchEndpoint(cat, 'http://192.168.1.5:9292/v2/images')?.endpointId).toBe(IDS.imageEndpointInternal);
    expect(matchEndpoint(cat, 'http://10.0.1.5:80/image/v2/images?limit=1')?.region).toBe('RegionTwo');
    expect(matchEndpoint(cat, 'https://10.0.0.5/image')).toBeNull();
  });
});
