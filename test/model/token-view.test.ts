import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/model/config.js';
import type { ExchangeRecord } from '../../src/model/exchange.js';
import { buildTimeline } from '../../src/model/timeline.js';
import { buildTokenView } from '../../src/model/token-view.js';
import { makeExchange } from '../helpers/exchanges.js';
import { HOST, openstackCapture, openstackExchanges, TOKENS } from '../helpers/openstack-capture.js';

function view(exchanges: ExchangeRecord[]) {
  const capture = openstackCapture(exchanges);
  const t = buildTimeline(capture, { config: defaultConfig(), secrets: 'mask', view: 'full', include: [], exclude: [] });
  return buildTokenView(capture, t.arrows);
}

describe('buildTokenView', () => {
  it('names each token by owner, with the arrow that issued it and every arrow that carried it', () => {
    const tokens = view(openstackExchanges());
    const admin = tokens.find((t) => t.label === '{token: admin@admin}');
    expect(admin?.issued).toEqual({ n: 4, to: 'openstack-client' });
    expect(admin?.facts).toMatchObject({ owner: 'admin@admin', scope: 'project', methods: ['password'] });
    expect(admin?.uses.map((u) => `${u.n} ${u.kind} ${u.from}→${u.to}`)).toEqual(expect.arrayContaining(['8 validated glance-api→keystone-api']));
    expect(JSON.stringify(tokens)).not.toContain(TOKENS.admin);
  });

  it('marks a token seen only in requests as issued before the recording, and a refused validation as failed', () => {
    const validation = makeExchange({
      seq: 1, url: `${HOST}/identity/v3/auth/tokens`, status: 404, reason: 'Not Found',
      requestHeaders: [['X-Auth-Token', TOKENS.glance], ['X-Subject-Token', 'gAAAAold-token']],
      source: { kind: 'listener', label: 'glance-api' },
    });
    const tokens = view([validation]);
    expect(tokens.map((t) => [t.label, t.issued])).toEqual([['{token: unknown-1}', null], ['{token: unknown-2}', null]]);
    expect(tokens[1]?.uses).toEqual([expect.objectContaining({ kind: 'validated', status: '404', failed: true })]);
  });
});
