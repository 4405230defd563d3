import { describe, expect, it } from 'vitest';
import { defaultConfig, parseConfig } from '../../src/model/config.js';
import { expectUserError } from '../helpers/user-error.js';

describe('parseConfig', () => {
  it('reads participants, variables and summary exclusions (strings or objects)', () => {
    const text = JSON.stringify({
      participants: { '10.0.0.5:8080': 'swift', image: 'glance' },
      variables: { service_id: 'service_project_id' },
      summaryExclude: ['**/v3/limits*', { participant: 'glance-api', method: 'get' }],
    });
    expect(parseConfig(text, 'flowscribe.config.json')).toEqual({
      participants: { '10.0.0.5:8080': 'swift', image: 'glance' },
      variables: { service_id: 'service_project_id' },
      summaryExclude: [{ path: '**/v3/limits*' }, { participant: 'glance-api', method: 'GET' }],
    });
  });

  it('defaults what is missing (null summaryExclude = the OpenStack default)', () => {
    expect(parseConfig('{}', 'c.json')).toEqual(defaultConfig());
  });

  it.each([
    ['{', /^c\.json: not valid JSON/],
    ['[]', /^c\.json: the config must be a JSON object$/],
    ['{"participant": {}}', /^c\.json: unknown key "participant" \(keys: participants, variables, summaryExclude\)$/],
    ['{"participants": {"x": 1}}', /^c\.json: "participants\.x" must be a non-empty string$/],
    ['{"variables": {"a": "has space"}}', /^c\.json: "variables\.a" = "has space" is not a valid name/],
    ['{"summaryExclude": "x"}', /^c\.json: "summaryExclude" must be a list of filters$/],
    ['{"summaryExclude": [{"host": "x"}]}', /^c\.json: unknown key "summaryExclude\[0\]\.host"/],
    ['{"summaryExclude": ["v3/x"]}', /^c\.json: "summaryExclude\[0\]" "v3\/x": at column 1 \("v3\/x"\): path glob/],
    ['{"summaryExclude": [{}]}', /^c\.json: "summaryExclude\[0\]" is an empty filter$/],
  ])('rejects %s naming the file and key', (text, message) => {
    expectUserError(() => parseConfig(text, 'c.json'), message, 1);
  });
});
