import { describe, expect, it } from 'vitest';
import { readCapture } from '../../src/model/capture.js';
import { defaultConfig } from '../../src/model/config.js';
import { buildTimeline } from '../../src/model/timeline.js';
import { defaultSummaryExclude, parseFilter } from '../../src/model/views.js';
import { foldTimeline } from '../../src/render/capture-page.js';

const CAPTURES = ['openstack-image-create-reference', 'service-to-service', 'upstream-refused', 'killed-mid-run'];
const shape = (t: ReturnType<typeof buildTimeline>) => ({
  participants: t.participants.map((p) => p.name),
  arrows: t.arrows.map((a) => `${a.n} ${a.from.name} ${a.kind} ${a.to.name} ${a.label}`),
});

describe('foldTimeline', () => {
  for (const name of CAPTURES) {
    it(`folds ${name}'s full view into exactly the model's summary view`, async () => {
      const capture = await readCapture(new URL(`../fixtures/captures/${name}.jsonl`, import.meta.url).pathname);
      const options = { config: defaultConfig(), secrets: 'mask' as const, include: [], exclude: [parseFilter('method=HEAD', '--exclude')] };
      const full = buildTimeline(capture, { ...options, view: 'full' });
      const summary = buildTimeline(capture, { ...options, view: 'summary' });
      expect(shape(foldTimeline(full, defaultSummaryExclude()))).toEqual(shape(summary));
    });
  }

  it('folds away the 24 unified-limits arrows of the reference', async () => {
    const capture = await readCapture(new URL('../fixtures/captures/openstack-image-create-reference.jsonl', import.meta.url).pathname);
    const full = buildTimeline(capture, { config: defaultConfig(), secrets: 'mask', include: [], exclude: [], view: 'full' });
    expect(foldTimeline(full, defaultSummaryExclude()).arrows).toHaveLength(26);
  });
});
