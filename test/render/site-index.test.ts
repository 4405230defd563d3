import { describe, expect, it } from 'vitest';
import { INDEX_MARKER, codeSpan, formatRecordedAt, renderIndexPage, shellJoin, type SitePage } from '../../src/render/site-index.js';
import { diagramParticipants, pageTitle, siteNav } from '../../src/publish/site.js';

const page: SitePage = {
  title: 'openstack image create',
  argv: ['openstack', 'image', 'create', '--public', 'my image'],
  participants: ['openstack-client', 'keystone-api'],
  exchangeCount: 25,
  recordedAt: '2022-12-19T09:51:26.000Z',
  path: 'openstack-image-create.md',
};

describe('index page', () => {
  it('has one table row per page: command, participants, exchanges, recorded, link', () => {
    const lines = renderIndexPage([page]).split('\n');
    expect(lines[0]).toBe(INDEX_MARKER);
    expect(lines[2]).toBe('# Recorded commands');
    expect(lines).toContain('| Command | Participants | Exchanges | Recorded | Page |');
    expect(lines).toContain(
      "| `openstack image create --public 'my image'` | `openstack-client`, `keystone-api` | 25 | 2022-12-19 09:51:26 UTC | [openstack image create](openstack-image-create.md) |",
    );
    expect(renderIndexPage([page]).endsWith('|\n')).toBe(true);
  });

  it('keeps pipes and backticks inside one cell', () => {
    const odd = { ...page, argv: ['sh', '-c', 'a | b `c`'], title: 'sh [x] | y', path: 'my page.md' };
    const row = renderIndexPage([odd]).split('\n').find((l) => l.startsWith('| ``'));
    expect(row).toBe("| ``sh -c 'a | b `c`'`` | `openstack-client`, `keystone-api` | 25 | 2022-12-19 09:51:26 UTC | [sh \\[x\\] \\| y](my%20page.md) |");
  });

  it('says when a capture has no command (proxy mode) and when there are no pages', () => {
    expect(renderIndexPage([{ ...page, argv: null }])).toContain('| (proxy recording) |');
    expect(renderIndexPage([])).toContain('No captures rendered yet.');
    expect(renderIndexPage([page], 'ko')).toContain('| 명령 | 참여자 | 교환 수 | 기록 시각 | 페이지 |');
  });

  it('formats helpers', () => {
    expect(codeSpan('`x`')).toBe('`` `x` ``');
    expect(shellJoin(['echo', "it's"])).toBe("echo 'it'\\''s'");
    expect(formatRecordedAt('not a date')).toBe('not a date');
  });
});

describe('site nav and page facts', () => {
  it('lists the index first and tells equal titles apart by recording time', () => {
    const second = { ...page, recordedAt: '2022-12-20T10:00:00Z', path: 'second.md' };
    expect(siteNav([page, second], 'en')).toEqual([
      { title: 'Home', path: 'index.md' },
      { title: 'openstack image create (2022-12-19 09:51:26 UTC)', path: 'openstack-image-create.md' },
      { title: 'openstack image create (2022-12-20 10:00:00 UTC)', path: 'second.md' },
    ]);
  });

  it('reads the title and the participants from a rendered page', () => {
    expect(pageTitle('intro\n# openstack image list\n\n## x\n')).toBe('openstack image list');
    const diagram = 'sequenceDiagram\n  autonumber\n  participant osc as openstack-client\n  participant 10.0.0.1:80\n  osc->>10.0.0.1:80: GET /\n';
    expect(diagramParticipants(diagram)).toEqual(['openstack-client', '10.0.0.1:80']);
  });
});
