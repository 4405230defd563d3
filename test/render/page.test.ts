import { describe, expect, it } from 'vitest';
import { renderTimelines, type PageOptions } from '../../src/render/page.js';
import { loadTemplates } from '../../src/publish/template-files.js';
import { makeExchange, makeHeader, makeTrailer } from '../helpers/exchanges.js';
import { simpleTimeline } from '../helpers/timelines.js';
import type { ExchangeRecord } from '../../src/model/exchange.js';

const templates = loadTemplates();
const options: PageOptions = {
  lang: 'en',
  launchJson: false,
  templates,
  logInclude: 'logs/page.log',
  images: { full: null, summary: null },
};

function render(exchanges = [makeExchange({ seq: 1 })], overrides: Partial<PageOptions> = {}) {
  const timeline = simpleTimeline(exchanges);
  return renderTimelines(
    { header: makeHeader(), trailer: makeTrailer(exchanges.length, '{"id": 1}\n'), full: timeline, summary: timeline },
    { ...options, ...overrides },
  );
}

describe('renderTimelines', () => {
  it('titles the page with the command name and shows the command in a bash block', () => {
    const { markdown } = render();
    expect(markdown.startsWith('# openstack image list\n\n## OpenStack Client Command\n``` bash title="python3-openstackclient command"\n$ openstack image list\n```\n')).toBe(true);
  });

  it('writes one section per arrow with Header and Body tabs', () => {
    const { markdown } = render([makeExchange({ seq: 1, responseBody: '{"a":[1,{}]}' })]);
    expect(markdown).toContain(
      '### (2) 200 OK /v3\n\n=== "Header"\n    ``` http title="200 OK http://127.0.0.1:5000/v3"\n    Content-Type: application/json\n    ```\n\n' +
        '=== "Body"\n    ``` json title="" linenums="1"\n    {\n      "a": [\n        1,\n        {}\n      ]\n    }\n    ```\n',
    );
  });

  it('shows an empty request body as None and an empty response body as an empty line', () => {
    const { markdown } = render([makeExchange({ seq: 1, responseBody: '' })]);
    expect(markdown).toContain('### (1) GET /v3\n');
    expect(markdown).toContain('=== "Body"\n    ``` json title="" linenums="1"\n    None\n    ```\n\n\n### (2)');
    expect(markdown).toContain('=== "Body"\n    ``` json title="" linenums="1"\n    \n    ```\n');
  });

  it('fences captured text with more backticks than it contains', () => {
    const { markdown } = render([makeExchange({ seq: 1, responseBody: 'a ```` b', responseHeaders: [['X', '`']] })]);
    expect(markdown).toContain('    ````` text title="" linenums="1"\n    a ```` b\n    `````\n');
  });

  it('includes the log with a snippets line and writes the Output section', () => {
    const { markdown, log } = render();
    expect(markdown).toContain('??? quote "openstack image list logs"\n    ``` log title="logs/page.log" linenums="1"\n    --8<-- "logs/page.log"\n    ```\n');
    expect(markdown.endsWith('## Output\n\n``` json title="openstack image list"\n{\n  "id": 1\n}\n```\n')).toBe(true);
    expect(log).toBe(
      '# exchange 1: client -> 127.0.0.1:5000 (1) (2)\nGET http://127.0.0.1:5000/v3 HTTP/1.1\nAccept: application/json\n\n' +
        'HTTP/1.1 200 OK\nContent-Type: application/json\n\n{}\n',
    );
  });

  it("writes the log in exchange order whatever order the arrows came in, each block with its arrows' numbers", () => {
    const late = makeExchange({ seq: 1, startMs: 500 });
    const early = makeExchange({ seq: 2, startMs: 100 });
    const failed = { ...makeExchange({ seq: 3, startMs: 300 }), state: 'failed', response: null, error: { code: 'ECONNREFUSED', message: 'refused' } } as ExchangeRecord;
    const { log } = render([late, early, failed]);
    expect(log.match(/^# exchange .*$/gm)).toEqual([
      '# exchange 1: client -> 127.0.0.1:5000 (4) (5)',
      '# exchange 2: client -> 127.0.0.1:5000 (1) (2)',
      '# exchange 3: client -> 127.0.0.1:5000 (3)',
    ]);
    const huge = render([makeExchange({ seq: 2 ** 40, startMs: 100 }), makeExchange({ seq: 7, startMs: 200 })]).log;
    expect(huge.match(/^# exchange \d+/gm)).toEqual(['# exchange 7', `# exchange ${2 ** 40}`]);
    expect(log).toContain('# exchange 3: client -> 127.0.0.1:5000 (3)\nGET http://127.0.0.1:5000/v3 HTTP/1.1\nAccept: application/json\n\n<no response: failed, ECONNREFUSED refused>\n');
  });

  it('uses the Korean wording with lang ko', () => {
    const { markdown } = render(undefined, { lang: 'ko' });
    expect(markdown).toContain('위 커맨드를 실행했을 때의 시퀀스 다이어그램 및 HTTP Request/Response 내용은 다음과 같다.  \n');
  });

  it('replaces the diagram by an image link when one is given', () => {
    const { markdown, diagrams } = render(undefined, { images: { full: 'img/page.svg', summary: null } });
    expect(markdown).toContain('![sequence diagram](img/page.svg)\n');
    expect(markdown).not.toContain('``` mermaid');
    expect(diagrams.full).toContain('client->>127_0_0_1_5000: GET /v3');
  });
});
