import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/model/config.js';
import { buildTimeline, buildTimelines, type TimelineOptions } from '../../src/model/timeline.js';
import { globToRegExp, parseFilter, type Filter } from '../../src/model/views.js';
import { makeExchange } from '../helpers/exchanges.js';
import { openstackCapture, openstackExchanges } from '../helpers/openstack-capture.js';
import { expectUserError } from '../helpers/user-error.js';

function labels(options: Partial<TimelineOptions>, capture = openstackCapture()): string[] {
  const t = buildTimeline(capture, { config: defaultConfig(), secrets: 'mask', view: 'full', include: [], exclude: [], ...options });
  return t.arrows.map((a) => `${a.n} ${a.from.alias}>${a.to.alias} ${a.label}`);
}

describe('globToRegExp', () => {
  it('matches * within a segment and ** across segments', () => {
    expect(globToRegExp('/v3/limits*').test('/v3/limits')).toBe(true);
    expect(globToRegExp('/v3/limits*').test('/v3/limits/model')).toBe(false);
    expect(globToRegExp('**/v3/limits/**').test('/identity/v3/limits/model')).toBe(true);
    expect(globToRegExp('**/v3/limits').test('/v3/limits')).toBe(true);
    expect(globToRegExp('/a.b/(x)').test('/a.b/(x)')).toBe(true);
    expect(globToRegExp('/a.b').test('/aXb')).toBe(false);
  });
});

describe('parseFilter', () => {
  it('reads key=value lists and bare path globs', () => {
    expect(parseFilter('participant=glance-api,method=get,path=/v3/limits*', '--exclude')).toEqual({
      participant: 'glance-api', method: 'GET', path: '/v3/limits*',
    });
    expect(parseFilter('**/v3/endpoints/*', '--include')).toEqual({ path: '**/v3/endpoints/*' });
  });

  it.each([
    ['', /^--exclude: empty filter/],
    ['hots=x', /^--exclude "hots=x": at column 1 \("hots=x"\): unknown key "hots" \(keys: participant method path host status header state body~\)/],
    ['method=', /^--exclude "method=": at column 1 \("method="\): empty value for "method"/],
    ['method=GET,method=PUT', /"method" given twice/],
    ['method=GET,oops', /"oops" is not key=value/],
    ['v3/limits', /path glob "v3\/limits" must start with \/ or \*/],
  ])('rejects %j as a usage error naming the flag', (spec, message) => {
    expectUserError(() => parseFilter(spec, '--exclude'), message, 2);
  });
});

describe('views', () => {
  it('summary folds away the unified-limits calls and their endpoint look-ups, with or without /identity', () => {
    const rootKeystone = makeExchange({
      seq: 11, url: 'http://10.0.0.5:5000/v3/registered_limits?x=1', startMs: 600, source: { kind: 'listener', label: 'glance-api' },
    });
    const capture = openstackCapture([...openstackExchanges(), rootKeystone]);
    const full = labels({}, capture);
    const summary = labels({ view: 'summary' }, capture);
    expect(full).toHaveLength(22);
    expect(summary).toHaveLength(16);
    expect(summary.join('\n')).not.toMatch(/limits|endpoints/);
    expect(summary[5]).toBe('6 glance>keystone POST /identity/v3/auth/tokens');
    // Numbers are the full view's (the folded calls keep theirs): the last arrow is still 20.
    expect(summary[15]).toBe('20 glance>osc 204 No Content /image/v2/images/{image_id}/file');
  });

  it("summary keeps the command's own limits and endpoint calls (openstack limit list)", () => {
    const own = makeExchange({ seq: 11, url: 'http://10.0.0.5/identity/v3/limits', startMs: 600 });
    const summary = labels({ view: 'summary' }, openstackCapture([...openstackExchanges(), own]));
    expect(summary.slice(-2)).toEqual(['21 osc>keystone GET /identity/v3/limits', '22 keystone>osc 200 OK /identity/v3/limits']);
  });

  it('summary uses the config exclusions instead of the default when given', () => {
    const config = { ...defaultConfig(), summaryExclude: [{ participant: 'swift' }] };
    const summary = labels({ view: 'summary', config });
    expect(summary).toHaveLength(16);
    expect(summary.some((l) => l.includes('limits'))).toBe(true);
    expect(summary.some((l) => l.includes('swift'))).toBe(false);
  });

  it('include keeps whole exchanges matching any filter; exclude drops them', () => {
    const include: Filter[] = [{ participant: 'swift-proxy-server' }, { method: 'PUT', path: '/image/**' }];
    expect(labels({ include })).toEqual([
      '1 osc>glance PUT /image/v2/images/{image_id}/file',
      '2 glance>swift HEAD /v1/AUTH_{service_id}/glance',
      '3 swift>glance 204 No Content /v1/AUTH_{service_id}/glance',
      '4 glance>swift PUT /v1/AUTH_{service_id}/glance/{image_id}',
      '5 swift>glance 201 Created /v1/AUTH_{service_id}/glance/{image_id}',
      '6 glance>osc 204 No Content /image/v2/images/{image_id}/file',
    ]);
    const exclude: Filter[] = [{ participant: 'keystone' }];
    expect(labels({ include, exclude: [{ method: 'HEAD' }] })).toHaveLength(4);
    expect(labels({ exclude }).some((l) => l.includes('keystone'))).toBe(false);
  });

  it('matches path globs against the template as well as the recorded path', () => {
    expect(labels({ include: [{ path: '/image/v2/images/{image_id}/*' }] })).toHaveLength(2);
  });

  it('lists only the variables this view uses', () => {
    const opts = { config: defaultConfig(), secrets: 'mask' as const, include: [], exclude: [] };
    const { full, summary } = buildTimelines(openstackCapture(), opts);
    expect(full).toEqual(buildTimeline(openstackCapture(), { ...opts, view: 'full' }));
    expect(summary).toEqual(buildTimeline(openstackCapture(), { ...opts, view: 'summary' }));
    expect(full.variables.map((v) => v.name)).toEqual(['image_endpoint_id', 'image_id', 'service_id']);
    expect(summary.variables.map((v) => v.name)).toEqual(['image_id', 'service_id']);
  });
});
