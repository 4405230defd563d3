/**
 * Swift's account segment (`AUTH_<project id>`) is OpenStack's convention, held by its profile:
 * the id after `AUTH_` is a project, and a config-named literal after it keeps the prefix. The
 * generic profile knows no such prefix.
 */
import { describe, expect, it } from 'vitest';
import { defaultConfig, type FlowscribeConfig } from '../../../src/model/config.js';
import { httpProfile } from '../../../src/model/profiles/http.js';
import { openstackProfile } from '../../../src/model/profiles/openstack/profile.js';
import type { Profile } from '../../../src/model/profiles/profile.js';
import { buildTimeline } from '../../../src/model/timeline.js';
import { makeExchange, makeHeader, makeTrailer } from '../../helpers/exchanges.js';

const PROJECT = '3a16cadd069e4a70b95f71316ec6f3e8';

function requestLabels(paths: string[], profile: Profile, config: FlowscribeConfig = defaultConfig()): string[] {
  const exchanges = paths.map((p, i) => makeExchange({ seq: i + 1, url: `http://127.0.0.1:8080${p}` }));
  const capture = { header: makeHeader({ environment: {} }), exchanges, trailer: makeTrailer(exchanges.length), warnings: [] };
  const timeline = buildTimeline(capture, { config, secrets: 'mask', view: 'full', include: [], exclude: [], profile });
  return timeline.arrows.filter((a) => a.kind === 'request').map((a) => a.label);
}

describe('the account prefix', () => {
  it('openstack: the id after AUTH_ is a project', () => {
    expect(requestLabels([`/v1/AUTH_${PROJECT}/glance`], openstackProfile)).toEqual(['GET /v1/AUTH_{project_id}/glance']);
  });

  it('http: no prefix, so the id is named like any other without a clue', () => {
    expect(requestLabels([`/v1/AUTH_${PROJECT}/glance`], httpProfile)).toEqual(['GET /v1/AUTH_{id_1}/glance']);
  });

  it('a config-named literal after the prefix keeps it under openstack, and is not found inside a segment under http', () => {
    const config = { ...defaultConfig(), variables: { test: 'account' } };
    expect(requestLabels(['/v1/AUTH_test/c'], openstackProfile, config)).toEqual(['GET /v1/AUTH_{account}/c']);
    expect(requestLabels(['/v1/AUTH_test/c'], httpProfile, config)).toEqual(['GET /v1/AUTH_test/c']);
  });
});
