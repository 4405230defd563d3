/**
 * The model against the reference page: the capture rebuilt from the page
 * (test/fixtures/captures/openstack-image-create-reference.jsonl) must give the page's own
 * participants, its 50 arrows in order, and its variables. Expected values are read from the
 * reference page copy, not written here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCapture } from '../../src/model/capture.js';
import { defaultConfig } from '../../src/model/config.js';
import { buildTimeline, type TimelineOptions } from '../../src/model/timeline.js';
import { openstackProfile } from '../../src/model/profiles/openstack/profile.js';
import { tokenLabels } from '../../src/model/token-owners.js';
import { fullDiagram, pageVariables } from '../helpers/mermaid-arrows.js';

const FIXTURE = new URL('../fixtures/captures/openstack-image-create-reference.jsonl', import.meta.url).pathname;
const PAGE = readFileSync(new URL('../fixtures/reference/openstack-image-create.md', import.meta.url), 'utf8');

async function build(options: Partial<TimelineOptions> = {}) {
  const capture = await readCapture(FIXTURE);
  return buildTimeline(capture, { config: defaultConfig(), secrets: 'mask', view: 'full', include: [], exclude: [], ...options });
}

describe('the reference page (openstack image create)', () => {
  it('has the reference diagram: the same participants and the same 50 arrows in order', async () => {
    const t = await build();
    const expected = fullDiagram(PAGE);
    expect(expected.arrows).toHaveLength(50);
    expect(t.participants.map((p) => p.name)).toEqual(expected.participants);
    expect(t.participants.map((p) => p.alias)).toEqual([...PAGE.matchAll(/^ {2}participant (\S+) as /gm)].map((m) => m[1]));
    expect(t.arrows.map((a) => ({ from: a.from.name, to: a.to.name, kind: a.kind, label: a.label }))).toEqual(expected.arrows);
  });

  it('names the reference variables with the reference values', async () => {
    const t = await build();
    // The page lists image_id first; we list in first-seen order (image_endpoint_id appears in arrow 20).
    expect(new Map(t.variables.map((v) => [v.name, v.value]))).toEqual(pageVariables(PAGE));
    expect(t.variables.map((v) => v.name)).toEqual(['image_endpoint_id', 'image_id', 'service_id']);
  });

  it('titles every section as the page does (http block titles with the real URL)', async () => {
    const t = await build();
    const titles = [...PAGE.matchAll(/``` http title="([^"]*)"/g)].map((m) => m[1]);
    expect(t.arrows.map((a) => a.message.httpTitle)).toEqual(titles);
  });

  it('summary view folds away the 24 unified-limits arrows', async () => {
    const t = await build({ view: 'summary' });
    expect(t.arrows).toHaveLength(26);
    expect(t.arrows.some((a) => /limits|endpoints/.test(a.label))).toBe(false);
    expect(t.variables.map((v) => v.name)).toEqual(['image_id', 'service_id']);
  });

  it('labels the four tokens of the run after their owners', async () => {
    expect([...tokenLabels(await readCapture(FIXTURE), openstackProfile).values()]).toEqual([
      '{token: admin@admin}', '{token: glance@service}', '{token: glance@system}', '{token: glance-swift@service}',
    ]);
    const t = await build({ secrets: 'label' });
    expect(JSON.stringify(t.arrows.map((a) => a.message))).not.toMatch(/gAAAA/);
  });
});
