import { describe, expect, it } from 'vitest';
import type { ExchangeRecord } from '../../src/model/exchange.js';
import type { Participant } from '../../src/model/timeline.js';
import { matchesFilter, parseFilter, type ExchangeFacts } from '../../src/model/views.js';
import { makeExchange } from '../helpers/exchanges.js';
import { expectUserError } from '../helpers/user-error.js';

const CLIENT: Participant = { alias: 'osc', name: 'openstack-client' };
const KEYSTONE: Participant = { alias: 'keystone', name: 'keystone-api' };

function facts(e: ExchangeRecord): ExchangeFacts {
  const path = new URL(e.request.url).pathname;
  return { exchange: e, from: CLIENT, to: KEYSTONE, path, pathTemplate: path };
}

const ok = makeExchange({ seq: 1, url: 'http://127.0.0.1:5000/v3/auth/tokens', method: 'POST', status: 201, requestBody: '{"auth":{"identity":{"methods":["password"]}}}', responseHeaders: [['X-Subject-Token', 'gAAAA-abc'], ['Content-Type', 'application/json']] });
const denied = makeExchange({ seq: 2, url: 'http://127.0.0.1:5000/v3/auth/tokens', method: 'POST', status: 401, reason: 'Unauthorized', responseBody: '{"error":{"code":401}}' });
const glance = makeExchange({ seq: 3, url: 'http://127.0.0.1:9292/v2/images', status: 503, requestHeaders: [['X-Auth-Token', 'gAAAA-abc'], ['User-Agent', 'openstacksdk/1.0']] });
const refused: ExchangeRecord = { ...makeExchange({ seq: 4, url: 'http://127.0.0.1:9/v2/images' }), state: 'failed', error: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:9' }, response: null };
const ALL = [ok, denied, glance, refused];

/** The seqs of the exchanges a spec keeps. */
const kept = (spec: string): number[] => ALL.filter((e) => matchesFilter(parseFilter(spec, '--include'), facts(e))).map((e) => e.seq);

describe('filter grammar', () => {
  it.each([
    ['status=401', [2]],
    ['status=4xx', [2]],
    ['status=5XX', [3]],
    ['status>=400', [2, 3]],
    ['status=>=400', [2, 3]],
    ['status<=201', [1]],
    ['status>401', [3]],
    ['status<401', [1]],
    ['status!=201', [2, 3]],
    ['host=127.0.0.1:9292', [3]],
    ['host=*:5000', [1, 2]],
    ['host=127.0.0.1', [1, 2, 3, 4]],
    ['header=x-subject-token', [1]],
    ['header=X-Auth-Token:gAAAA-*', [3]],
    ['header=User-Agent:curl*', []],
    ['state=failed', [4]],
    ['state=completed', [1, 2, 3]],
    ['body~"methods":\\["password"\\]', [1]],
    ['body~code":40[0-9]', [2]],
    ['method=POST,status=4xx', [2]],
    ['path=/v3/**,status>=200,body~,', []],
    ['participant=keystone-api,method=GET,path=/v2/*', [3, 4]],
  ])('%s keeps %j', (spec, seqs) => {
    expect(kept(spec)).toEqual(seqs);
  });

  it('lets body~ take the rest of the spec, commas included', () => {
    expect(parseFilter('method=POST,body~a,b', '--include')).toEqual({ method: 'POST', body: 'a,b' });
  });

  it.each([
    ['status=4x', /^--include "status=4x": at column 1 \("status=4x"\): status "4x" is not 401, 4xx or a comparison like >=400$/],
    ['method=GET,status>=abc', /at column 12 \("status>=abc"\): status ">=abc" is not 401/],
    ['status>=4xx', /a class \(4xx\) takes no comparison/],
    ['method=GET, state=broken', /at column 13 \("state=broken"\): state "broken" is not one of completed, failed, aborted, incomplete/],
    ['header=:x', /header ":x" has no name/],
    ['body~(unclosed', /at column 1 \("body~\(unclosed"\): body~ regex "\(unclosed" is not valid/],
    ['status=401,status=500', /at column 12 \("status=500"\): "status" given twice/],
    ['method=GET,,path=/x', /at column 12 \(""\): empty clause/],
    ['colour=red', /unknown key "colour"/],
  ])('rejects %j with one line pointing at the bad part', (spec, message) => {
    expectUserError(() => parseFilter(spec, '--include'), message, 2);
  });
});
