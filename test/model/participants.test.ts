import { describe, expect, it } from 'vitest';
import { defaultConfig, type FlowscribeConfig } from '../../src/model/config.js';
import type { ExchangeRecord } from '../../src/model/exchange.js';
import { resolveParticipants } from '../../src/model/participants.js';
import { identityEndpoints } from '../../src/model/profiles/openstack/identity.js';
import { makeExchange, makeHeader } from '../helpers/exchanges.js';
import { HOST, IDS, openstackCapture, openstackExchanges, SWIFT } from '../helpers/openstack-capture.js';

function names(exchanges: ExchangeRecord[], config: FlowscribeConfig = defaultConfig()) {
  const capture = openstackCapture(exchanges);
  const r = resolveParticipants(capture, config);
  return exchanges.map((e) => `${r.source(e).name} -> ${r.destination(e).name}`);
}

describe('resolveParticipants', () => {
  it('names the client after the command and destinations from the catalog', () => {
    const all = names(openstackExchanges());
    expect(all[0]).toBe('openstack-client -> keystone-api');
    expect(all[2]).toBe('openstack-client -> glance-api');
    expect(all[8]).toBe('glance-api -> swift-proxy-server');
  });

  it('knows Keystone from OS_AUTH_URL before any catalog was received', () => {
    const first = openstackExchanges().slice(0, 1);
    expect(names(first)).toEqual(['openstack-client -> keystone-api']);
    expect(identityEndpoints(openstackCapture(first)).map((e) => e.url)).toEqual([`${HOST}/identity`]);
  });

  it('knows Keystone from the first token request even without OS_AUTH_URL', () => {
    const exchanges = [
      makeExchange({ seq: 1, url: 'http://keystone.example:5000/' }),
      makeExchange({ seq: 2, method: 'POST', url: 'http://keystone.example:5000/v3/auth/tokens', status: 401, reason: 'Unauthorized' }),
    ];
    const capture = { ...openstackCapture(exchanges), header: makeHeader({ environment: {} }) };
    const r = resolveParticipants(capture, defaultConfig());
    expect(exchanges.map((e) => r.destination(e).name)).toEqual(['keystone-api', 'keystone-api']);
  });

  it('maps service names and types to their processes, internal and other-region URLs too', () => {
    const urls = ['http://192.168.1.5:9292/v2/images', 'http://10.0.1.5/image/v2', `${HOST}/compute/v2.1/servers`, `${HOST}/volume/v3/${IDS.adminProject}/volumes`];
    const exchanges = [...openstackExchanges().slice(0, 2), ...urls.map((url, i) => makeExchange({ seq: 20 + i, url, startMs: 1000 + i * 20 }))];
    expect(names(exchanges).slice(2).map((n) => n.split(' -> ')[1])).toEqual(['glance-api', 'glance-api', 'nova-api', 'cinder-api']);
  });

  it('names a catalog service neither table knows after its catalog name', () => {
    const body = JSON.stringify({ catalog: [{ id: 's', type: 'frobnication', name: 'frob', endpoints: [{ id: 'e', interface: 'public', url: 'http://10.0.0.7:7777/frob' }] }] });
    const exchanges = [makeExchange({ seq: 1, url: `${HOST}/identity/v3/auth/catalog`, responseBody: body }), makeExchange({ seq: 2, url: 'http://10.0.0.7:7777/frob/x' })];
    expect(names(exchanges)[1]).toBe('openstack-client -> frob');
  });

  it('names each destination as a fresh resolver does, however often and in whatever order it is asked (names are kept by URL)', () => {
    const exchanges = openstackExchanges();
    const capture = openstackCapture(exchanges);
    const fresh = exchanges.map((e) => resolveParticipants(capture, defaultConfig()).destination(e).name);
    expect(new Set(fresh).size).toBeGreaterThan(2);
    const r = resolveParticipants(capture, defaultConfig());
    const asked = [...exchanges, ...[...exchanges].reverse(), ...exchanges].map((e) => r.destination(e).name);
    expect(asked).toEqual([...fresh, ...[...fresh].reverse(), ...fresh]);
  });

  it('sends an unattributed request from the client', () => {
    const exchanges = [makeExchange({ seq: 1, url: `${HOST}/identity`, source: { kind: 'unknown' } })];
    expect(names(exchanges)).toEqual(['openstack-client -> keystone-api']);
  });

  it('falls back to host:port for hosts no catalog lists', () => {
    const exchanges = [...openstackExchanges().slice(0, 2), makeExchange({ seq: 3, url: 'https://example.org/x', startMs: 500 })];
    expect(names(exchanges)[2]).toBe('openstack-client -> example.org:443');
  });

  it('names senders from listener labels, service processes, and User-Agents as a last resort', () => {
    const url = `${HOST}/identity/v3/auth/tokens`;
    const sources: ExchangeRecord['source'][] = [
      { kind: 'listener', label: 'nova-compute' },
      { kind: 'process', isClient: false, pid: 7, comm: 'swift-proxy-ser', cmdline: ['/usr/bin/python3', '/usr/local/bin/swift-proxy-server'] },
      { kind: 'process', isClient: false, pid: 8, comm: 'uwsgi', cmdline: ['uwsgi', '--ini', '/etc/glance/glance-uwsgi.ini'] },
      { kind: 'process', isClient: false, pid: 9, comm: 'python3', cmdline: ['python3', '/opt/bin/my-daemon', '--debug'] },
      { kind: 'user-agent', userAgent: 'glance/25.0.1.dev4 keystonemiddleware.auth_token/10.1.0' },
      { kind: 'user-agent', userAgent: 'python-swiftclient-4.1.0' },
      { kind: 'process', isClient: true, pid: 10, comm: 'openstack', cmdline: ['openstack'] },
    ];
    const exchanges = sources.map((source, i) => makeExchange({ seq: i + 1, url, source }));
    expect(names(exchanges).map((n) => n.split(' -> ')[0])).toEqual([
      'nova-compute', 'swift-proxy-server', 'glance-api', 'my-daemon', 'glance-api', 'python-swiftclient', 'openstack-client',
    ]);
  });

  it('names a proxy-mode client (no argv) from its process or User-Agent', () => {
    const exchanges = [
      makeExchange({ seq: 1, source: { kind: 'process', isClient: true, pid: 1, comm: 'curl', cmdline: ['curl'] } }),
      makeExchange({ seq: 2, source: { kind: 'user-agent', userAgent: 'openstacksdk/0.101.0 keystoneauth1/5.0.0' } }),
    ];
    const capture = { ...openstackCapture(exchanges), header: makeHeader({ argv: null }) };
    const r = resolveParticipants(capture, defaultConfig());
    expect(r.client).toBeNull();
    expect(exchanges.map((e) => r.source(e).name)).toEqual(['curl-client', 'openstack-client']);
  });

  it('lets the config override by host:port, service name or type, listener label and default name', () => {
    const config: FlowscribeConfig = {
      ...defaultConfig(),
      participants: { 'glance-api': 'glance', object_store: 'unused', 'object-store': 'swift', 'keystone-api': 'identity', 'example.org:443': 'example' },
    };
    const exchanges = [...openstackExchanges(), makeExchange({ seq: 11, url: 'https://example.org/x', startMs: 900 })];
    const all = names(exchanges, config);
    expect(all[2]).toBe('openstack-client -> glance');
    expect(all[3]).toBe('glance -> identity');
    expect(all[8]).toBe('glance -> swift');
    expect(all[10]).toBe('openstack-client -> example');
  });

  it('lets the config rename the client by command name or default name', () => {
    for (const key of ['openstack', 'openstack-client']) {
      const config: FlowscribeConfig = { ...defaultConfig(), participants: { [key]: 'osc-cli' } };
      expect(names(openstackExchanges().slice(0, 1), config)).toEqual(['osc-cli -> keystone-api']);
    }
  });

  it('gives short, unique, mermaid-safe aliases', () => {
    const exchanges = [
      makeExchange({ seq: 1, url: `${SWIFT}/info` }),
      makeExchange({ seq: 2, url: 'http://10.9.9.9:8000/' }),
      makeExchange({ seq: 3, url: 'http://10.9.9.9:8001/', source: { kind: 'listener', label: 'end' } }),
      makeExchange({ seq: 4, url: 'http://10.9.9.9:8002/', source: { kind: 'listener', label: 'glance-registry' } }),
      makeExchange({ seq: 5, url: `${HOST}/image`, source: { kind: 'listener', label: 'glance-registry' } }),
    ];
    const capture = openstackCapture([...openstackExchanges().slice(0, 2), ...exchanges.map((e) => ({ ...e, seq: e.seq + 2 }))]);
    const r = resolveParticipants(capture, defaultConfig());
    const seen = capture.exchanges.flatMap((e) => [r.source(e), r.destination(e)]);
    const aliases = Object.fromEntries(seen.map((p) => [p.name, p.alias]));
    expect(aliases).toEqual({
      'openstack-client': 'osc', 'keystone-api': 'keystone', 'swift-proxy-server': 'swift', '10.9.9.9:8000': 'h10_9_9_9_8000',
      end: 'end_', '10.9.9.9:8001': 'h10_9_9_9_8001', 'glance-registry': 'glance', '10.9.9.9:8002': 'h10_9_9_9_8002', 'glance-api': 'glance_2',
    });
  });
});
