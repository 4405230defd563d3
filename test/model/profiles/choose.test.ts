/**
 * Which profile a capture gets: OpenStack when it shows Keystone (a token request, a catalog, a
 * cloud environment), else generic HTTP; a named profile overrides; an unknown name is one line.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import { readCapture } from '../../../src/model/capture.js';
import type { Capture } from '../../../src/model/exchange.js';
import { profileFor, profileNamed } from '../../../src/model/profiles/choose.js';
import { httpProfile } from '../../../src/model/profiles/http.js';
import { makeExchange, makeHeader, makeTrailer } from '../../helpers/exchanges.js';
import { catalog, openstackCapture } from '../../helpers/openstack-capture.js';

const CASES = new URL('../../fixtures/captures/', import.meta.url);
const RUNS = new URL('../../fixtures/lab-runs/', import.meta.url);

/** A capture of plain HTTP: no `OS_*` environment. */
function plain(exchanges = [makeExchange({ seq: 1, url: 'http://127.0.0.1:8080/api/items' })]): Capture {
  const header = makeHeader({ argv: ['curl', 'http://127.0.0.1:8080/api/items'], environment: {} });
  return { header, exchanges, trailer: makeTrailer(exchanges.length, ''), warnings: [] };
}

describe('profileFor (automatic choice)', () => {
  it('gives every OpenStack fixture (recorded in the lab or built) the openstack profile, the plain HTTP case the http one', async () => {
    const files = [
      ...readdirSync(CASES).filter((f) => f.endsWith('.jsonl')).map((f) => new URL(f, CASES)),
      ...readdirSync(RUNS).filter((f) => f.endsWith('.jsonl')).map((f) => new URL(f, RUNS)),
    ];
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const chosen = profileFor(await readCapture(file.pathname)).name;
      expect(chosen, file.pathname).toBe(file.pathname.endsWith('/http-generic.jsonl') ? 'http' : 'openstack');
    }
  });

  it('picks openstack for a Keystone token request alone, and for a catalog alone, without OS_AUTH_URL', () => {
    const token = makeExchange({ seq: 1, method: 'POST', url: 'http://10.0.0.5/identity/v3/auth/tokens?nocatalog', status: 201 });
    expect(profileFor(plain([token])).name).toBe('openstack');
    const body = JSON.stringify({ catalog: catalog('admin') });
    expect(profileFor(plain([makeExchange({ seq: 1, url: 'http://10.0.0.5/identity/v3/auth/catalog', responseBody: body })])).name).toBe('openstack');
  });

  it('picks http for plain traffic, also with a Bearer token and a path that merely looks like Keystone', () => {
    const bearer = makeExchange({ seq: 1, url: 'http://127.0.0.1:8080/v3/limits', requestHeaders: [['Authorization', 'Bearer abc']] });
    expect(profileFor(plain([bearer])).name).toBe('http');
    expect(profileFor(plain([])).name).toBe('http');
  });

  it('picks openstack for a command configured for a cloud (OS_CLOUD) whose Keystone call came before the recording', () => {
    const capture = plain();
    expect(profileFor({ ...capture, header: { ...capture.header, environment: { OS_CLOUD: 'devstack' } } }).name).toBe('openstack');
  });

  it('takes the profile asked for over the capture', () => {
    expect(profileFor(openstackCapture(), httpProfile).name).toBe('http');
    expect(profileFor(plain(), profileNamed('openstack')).name).toBe('openstack');
  });
});

describe('profileNamed', () => {
  it('knows openstack and http, and auto means "choose per capture"', () => {
    expect(profileNamed('openstack')?.name).toBe('openstack');
    expect(profileNamed('http')?.name).toBe('http');
    expect(profileNamed('auto')).toBeNull();
  });

  it('rejects an unknown name in one line naming the flag, the name and the choices (usage error)', () => {
    let error: unknown;
    try {
      profileNamed('nova', '--profile');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe('--profile nova: unknown profile (choose auto, openstack, http)');
    expect((error as UserError).exitCode).toBe(2);
  });
});
