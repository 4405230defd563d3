/**
 * A small, realistic `openstack image create` capture: Keystone auth with a multi-region catalog,
 * Glance's POST /v2/images with Glance's own calls to Keystone nested inside it, and the upload
 * with Glance's calls to Swift nested inside it. Ids and tokens follow the reference page's shapes.
 */
import type { Capture, ExchangeRecord } from '../../src/model/exchange.js';
import { makeExchange, makeHeader, makeTrailer } from './exchanges.js';

export const HOST = 'http://10.0.0.5';
export const SWIFT = 'http://10.0.0.5:8080';
export const IDS = {
  adminProject: 'a5362cbd04fd4783a038d5a342d58e87',
  serviceProject: '3a16cadd069e4a70b95f71316ec6f3e8',
  adminUser: '8221f17fbf934d309ba96cf2218be3ff',
  glanceUser: 'e154ddd315034334b04ae767862bfac0',
  imageService: '4134c089d54f40c4bff6629c9b3c8b17',
  imageEndpoint: '3195d06aa49541009838146ab9072997',
  imageEndpointInternal: '7c3b7f0b0e3c4a61a1b4b1d9b7f2c001',
  imageEndpointRegionTwo: '9d1e2f3a4b5c4d6e8f9a0b1c2d3e4f50',
  image: 'e6167145-7865-4d3d-ad19-2a59fb3f1870',
};
export const TOKENS = {
  admin: 'gAAAAABjoDQeumRrUWzsXDWpG2h6Q3lrRNlkJuuzll_i60p4u3V2yoe_5n2CZi5O1EZnvsD40w72bhDpuTPe1ZSQMPOO19Jtkq5cckilgQnO1XSmesyBZ',
  glance: 'gAAAAABjoDQfrGmFjnYo58OFrsx_voPKDiWGp2sT1K6-kVSHnBNL5hIOAeGoPkqNOnpChKrUTSW5pgV065lkpnZh24ZrC7vcjtVpqKTwE7dlfZYT',
};
export const PASSWORD = 'asdf';

const GLANCE: ExchangeRecord['source'] = { kind: 'listener', label: 'glance-api' };

function endpoint(id: string, iface: string, region: string, url: string) {
  return { id, interface: iface, region_id: region, url, region };
}

/** A Keystone v3 catalog with several regions and public/internal/admin interfaces. */
export function catalog(project: string) {
  return [
    { id: 'k1', type: 'identity', name: 'keystone', endpoints: [endpoint('254257a27e574069b9510cc4f218afa1', 'public', 'RegionOne', `${HOST}/identity`)] },
    {
      id: IDS.imageService,
      type: 'image',
      name: 'glance',
      endpoints: [
        endpoint(IDS.imageEndpoint, 'public', 'RegionOne', `${HOST}/image`),
        endpoint(IDS.imageEndpointInternal, 'internal', 'RegionOne', 'http://192.168.1.5:9292'),
        endpoint(IDS.imageEndpointRegionTwo, 'public', 'RegionTwo', 'http://10.0.1.5/image'),
      ],
    },
    {
      id: '5b4f3dd567054612914e94f37e396d05',
      type: 'object-store',
      name: 'swift',
      endpoints: [
        endpoint('64319e2274594aca8b7ff17be26f1306', 'admin', 'RegionOne', SWIFT),
        endpoint('721a5750cf0448729c85f21749859ec0', 'public', 'RegionOne', `${SWIFT}/v1/AUTH_${project}`),
      ],
    },
    { id: 'fa5e4dfaffbe476c88be86bbc10f092e', type: 'compute', name: 'nova', endpoints: [endpoint('82bfd276ae734c3788bc66159b0c6d39', 'public', 'RegionOne', `${HOST}/compute/v2.1`)] },
    { id: '2baac711c03b4da1abaabe4e0f0f3575', type: 'volumev3', name: 'cinderv3', endpoints: [endpoint('a49d989ec6dd4e8f9399cf8a5caf519b', 'public', 'RegionOne', `${HOST}/volume/v3/${project}`)] },
  ];
}

function authBody(user: string, project: string): string {
  return JSON.stringify({
    auth: {
      identity: { methods: ['password'], password: { user: { password: PASSWORD, name: user, domain: { id: 'default' } } } },
      scope: { project: { name: project, domain: { id: 'default' } } },
    },
  });
}

function tokenBody(user: [string, string], project: [string, string]): string {
  return JSON.stringify({
    token: {
      methods: ['password'],
      user: { domain: { id: 'default', name: 'Default' }, id: user[0], name: user[1], password_expires_at: null },
      project: { domain: { id: 'default', name: 'Default' }, id: project[0], name: project[1] },
      catalog: catalog(project[0]),
    },
  });
}

const jsonHeaders = (token?: string): Array<[string, string]> => [
  ['Accept', 'application/json'],
  ...(token ? [['X-Auth-Token', token] as [string, string]] : []),
];

/** The exchanges in seq (start) order; the response ends nest as the reference's do. */
export function openstackExchanges(): ExchangeRecord[] {
  const adminToken = tokenBody([IDS.adminUser, 'admin'], [IDS.adminProject, 'admin']);
  const glanceToken = tokenBody([IDS.glanceUser, 'glance'], [IDS.serviceProject, 'service']);
  return [
    makeExchange({ seq: 1, url: `${HOST}/identity`, status: 300, reason: 'MULTIPLE CHOICES', responseBody: '{"versions": {}}', startMs: 100 }),
    makeExchange({
      seq: 2, method: 'POST', url: `${HOST}/identity/v3/auth/tokens`, requestBody: authBody('admin', 'admin'), startMs: 200,
      status: 201, reason: 'CREATED', responseHeaders: [['Content-Type', 'application/json'], ['X-Subject-Token', TOKENS.admin]], responseBody: adminToken,
    }),
    makeExchange({
      seq: 3, method: 'POST', url: `${HOST}/image/v2/images`, requestHeaders: jsonHeaders(TOKENS.admin), requestBody: '{"name": "cirros"}',
      startMs: 300, durationMs: 90, status: 201, reason: 'Created',
      responseHeaders: [['Content-Type', 'application/json'], ['Location', `http://127.0.0.1:60999/v2/images/${IDS.image}`]],
      responseBody: JSON.stringify({ id: IDS.image, name: 'cirros', owner: IDS.adminProject, status: 'queued' }),
    }),
    makeExchange({
      seq: 4, source: GLANCE, method: 'POST', url: `${HOST}/identity/v3/auth/tokens`, requestBody: authBody('glance', 'service'), startMs: 310,
      status: 201, reason: 'CREATED', responseHeaders: [['Content-Type', 'application/json'], ['X-Subject-Token', TOKENS.glance]], responseBody: glanceToken,
    }),
    makeExchange({
      seq: 5, source: GLANCE, url: `${HOST}/identity/v3/auth/tokens`, startMs: 330,
      requestHeaders: [['X-Subject-Token', TOKENS.admin], ['X-Auth-Token', TOKENS.glance]], responseBody: adminToken,
      responseHeaders: [['Content-Type', 'application/json'], ['X-Subject-Token', TOKENS.admin]],
    }),
    makeExchange({ seq: 6, source: GLANCE, url: `${HOST}/identity/v3/endpoints/${IDS.imageEndpoint}`, requestHeaders: jsonHeaders(TOKENS.glance), startMs: 350 }),
    makeExchange({
      seq: 7, source: GLANCE, url: `${HOST}/identity/v3/limits?service_id=${IDS.imageService}&project_id=${IDS.adminProject}`,
      requestHeaders: jsonHeaders(TOKENS.glance), startMs: 365, responseBody: '{"limits": []}',
    }),
    makeExchange({
      seq: 8, method: 'PUT', url: `${HOST}/image/v2/images/${IDS.image}/file`, requestHeaders: jsonHeaders(TOKENS.admin),
      startMs: 400, durationMs: 90, status: 204, reason: 'No Content', responseBody: '',
    }),
    makeExchange({
      seq: 9, source: GLANCE, method: 'HEAD', url: `${SWIFT}/v1/AUTH_${IDS.serviceProject}/glance`, startMs: 410,
      requestHeaders: [['x-auth-token', `b'${TOKENS.glance}'`]], status: 204, reason: 'No Content', responseBody: '',
    }),
    makeExchange({
      seq: 10, source: GLANCE, method: 'PUT', url: `${SWIFT}/v1/AUTH_${IDS.serviceProject}/glance/${IDS.image}`, startMs: 430,
      requestHeaders: [['x-auth-token', `b'${TOKENS.glance}'`]], status: 201, reason: 'Created', responseBody: '',
    }),
  ];
}

/** The whole capture: `openstack image create` with OS_AUTH_URL pointing at Keystone. */
export function openstackCapture(exchanges: ExchangeRecord[] = openstackExchanges()): Capture {
  return {
    header: makeHeader({
      argv: ['openstack', 'image', 'create', '--file', 'cirros.qcow2', 'cirros'],
      environment: { OS_AUTH_URL: `${HOST}/identity/v3`, OS_USERNAME: 'admin', OS_PASSWORD: PASSWORD, OS_PROJECT_NAME: 'admin' },
    }),
    exchanges,
    trailer: makeTrailer(exchanges.length, '{"id": "' + IDS.image + '"}'),
    warnings: [],
  };
}
