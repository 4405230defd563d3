/**
 * The same plain-HTTP capture (test/fixtures/captures/http-generic.jsonl: a notes API with its own
 * `/v3/limits` quota call) rendered under each profile: the generic one names, folds and words
 * nothing OpenStack; the OpenStack one (asked for) folds the limits call into a summary and shows
 * an empty request body as `None`. The automatic page is pinned by the golden test.
 */
import { describe, expect, it } from 'vitest';
import { readCapture } from '../../src/model/capture.js';
import { defaultConfig } from '../../src/model/config.js';
import { profileNamed } from '../../src/model/profiles/choose.js';
import type { Profile } from '../../src/model/profiles/profile.js';
import { renderPage } from '../../src/render/capture-page.js';
import { loadTemplates } from '../../src/publish/template-files.js';
import { mermaidBlocks, parseDiagram } from '../helpers/mermaid-arrows.js';

const CASE = new URL('../fixtures/captures/http-generic.jsonl', import.meta.url).pathname;
const REFERENCE = new URL('../fixtures/captures/openstack-image-create-reference.jsonl', import.meta.url).pathname;
const templates = loadTemplates();

async function render(path: string, profile: Profile | null, lang: 'en' | 'ko' = 'en') {
  const options = {
    config: defaultConfig(), secrets: 'mask' as const, include: [], exclude: [], lang, launchJson: false, templates,
    logInclude: 'logs/page.log', images: { full: null, summary: null }, profile,
  };
  return renderPage(await readCapture(path), options);
}

const EMPTY_REQUEST = '### (1) GET /api/notes\n\n=== "Header"\n    ``` http title="GET http://127.0.0.1:8080/api/notes"\n    Authorization: Bearer ***\n    Accept: application/json\n    ```\n\n=== "Body"\n    ``` json title="" linenums="1"\n';

describe('a plain HTTP capture under each profile', () => {
  it('http (automatic): one diagram with every call, an empty body tab, no OpenStack wording', async () => {
    const page = await render(CASE, null);
    expect(page.markdown).toContain(`${EMPTY_REQUEST}    \n    \`\`\`\n`);
    expect(mermaidBlocks(page.markdown)).toHaveLength(1);
    expect(page.markdown).not.toMatch(/None|with limits|OpenStack|openstack-client/);
    expect(page.diagrams.summary).toBe(page.diagrams.full);
  });

  it('openstack (asked for): the limits call folded into a summary, `None` for the empty body', async () => {
    const page = await render(CASE, profileNamed('openstack'));
    expect(page.markdown).toContain(`${EMPTY_REQUEST}    None\n    \`\`\`\n`);
    expect(page.markdown).toContain('## Sequence Diagram (with limits)');
    const [summary, full] = mermaidBlocks(page.markdown).map(parseDiagram);
    expect(full?.arrows.map((a) => a.label)).toContain('GET /v3/limits');
    expect(summary?.arrows.map((a) => a.label)).not.toContain('GET /v3/limits');
    expect(summary?.arrows).toHaveLength((full?.arrows.length ?? 0) - 2);
  });

  it('names the summary after what the profile folds, in Korean too', async () => {
    const page = await render(CASE, profileNamed('openstack'), 'ko');
    expect(page.markdown).toContain('(쿼터 부분 제외)');
  });
});

describe('an OpenStack capture under the http profile (asked for)', () => {
  it('names services by host:port, the client without OpenStack wording, and keeps every call in one diagram', async () => {
    const auto = await render(REFERENCE, null);
    const page = await render(REFERENCE, profileNamed('http'));
    expect(auto.markdown).toContain('## OpenStack Client Command');
    expect(parseDiagram(auto.diagrams.full).participants).toContain('keystone-api');
    expect(page.markdown).toContain('## Command\n``` bash title="openstack command"');
    const participants = parseDiagram(page.diagrams.full).participants;
    expect(participants).not.toContain('keystone-api');
    expect(participants.every((p) => p === 'openstack-client' || p === 'glance-api' || /^[\d.]+:\d+$/.test(p))).toBe(true);
    expect(page.diagrams.summary).toBe(page.diagrams.full);
    expect(page.markdown).not.toMatch(/\n {4}None\n/);
  });
});
