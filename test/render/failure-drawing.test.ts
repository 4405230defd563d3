import { describe, expect, it } from 'vitest';
import type { ExchangeRecord } from '../../src/model/exchange.js';
import { programName, shellScript } from '../../src/model/source-names.js';
import { renderMermaid } from '../../src/render/mermaid.js';
import { arrowNotice } from '../../src/render/page-view.js';
import { renderWaterfall } from '../../src/render/waterfall.js';
import { makeExchange } from '../helpers/exchanges.js';
import { simpleTimeline } from '../helpers/timelines.js';

const lines = (exchanges: ExchangeRecord[], timings = false): string[] =>
  renderMermaid(simpleTimeline(exchanges), { timings }).split('\n').filter((l) => l.startsWith('  ') && !/participant|autonumber/.test(l));

describe('failures drawn as failures', () => {
  it('puts a 4xx/5xx reply on a red background and says what the client saw', () => {
    const e = makeExchange({ seq: 1, url: 'http://127.0.0.1:5000/v3/auth/tokens', method: 'POST', status: 401, reason: 'Unauthorized' });
    expect(lines([e])).toEqual([
      '  client->>127_0_0_1_5000: POST /v3/auth/tokens',
      '  rect rgb(255, 224, 224)',
      '  127_0_0_1_5000-->>client: 401 Unauthorized /v3/auth/tokens',
      '  end',
    ]);
    const t = simpleTimeline([e]);
    expect(arrowNotice(t.arrows[1]!, true)).toBe('!!! warning "the client got 401 Unauthorized from 127.0.0.1:5000"');
    expect(arrowNotice(t.arrows[0]!, true)).toBeNull();
  });

  it('draws an abort as a cut reply with a note', () => {
    const base = makeExchange({ seq: 1, url: 'http://127.0.0.1:9292/v2/images' });
    const aborted: ExchangeRecord = { ...base, state: 'aborted', error: { code: 'CLIENT_ABORTED', message: 'gone' }, response: base.response };
    expect(lines([aborted]).slice(1)).toEqual([
      '  127_0_0_1_9292--xclient: 200 OK /v2/images',
      '  Note over client: ✕ aborted: CLIENT_ABORTED',
    ]);
  });

  it('--timings puts the duration on the response arrow only', () => {
    const e = makeExchange({ seq: 1, url: 'http://127.0.0.1:5000/v3', durationMs: 1500 });
    expect(lines([e], true)).toEqual(['  client->>127_0_0_1_5000: GET /v3', '  127_0_0_1_5000-->>client: 200 OK /v3 (1.50 s)']);
  });

  it('waterfall: one bar per exchange from the first request, failures red', () => {
    const ok = makeExchange({ seq: 1, url: 'http://127.0.0.1:5000/v3', startMs: 100, durationMs: 40 });
    const bad = makeExchange({ seq: 2, url: 'http://127.0.0.1:5000/v3/x', startMs: 150, durationMs: 10, status: 500 });
    expect(renderWaterfall(simpleTimeline([ok, bad])).split('\n').slice(4)).toEqual([
      '  section 127.0.0.1 5000',
      '    (1) client GET /v3 :0, 40',
      '    (3) client GET /v3/x :crit, 50, 60',
      '',
    ]);
  });
});

describe('scripts', () => {
  it('reads the script of sh -c and the program of a client process', () => {
    expect(shellScript(['sh', '-c', 'openstack image list; curl x'])).toBe('openstack image list; curl x');
    expect(shellScript(['/bin/bash', '-ec', 'true'])).toBe('true');
    expect(shellScript(['openstack', '-c', 'x'])).toBeNull();
    expect(programName('openstack', ['/usr/bin/python3', '/usr/bin/openstack', 'image', 'list'])).toBe('openstack');
    expect(programName('python3', ['/usr/bin/python3', '-u', '/usr/bin/openstack'])).toBe('openstack');
    expect(programName('curl', ['curl', '-s'])).toBe('curl');
  });
});
