/**
 * HAR export and the round trip: every shipped and fixture capture exports to a document the
 * HAR 1.2 schema (`har-schema`) accepts, and importing that HAR gives back the capture field by field.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCapture } from '../../src/model/capture.js';
import type { Capture } from '../../src/model/exchange.js';
import { parseHar } from '../../src/model/har-import.js';
import { describeHarError, harDocumentValidator } from '../../src/model/har-schema.js';
import { MASK } from '../../src/model/redact.js';
import { renderHar, toHar } from '../../src/render/har.js';
import { renderCaptureFile } from '../../src/publish/output.js';
import { fullDiagram } from '../helpers/mermaid-arrows.js';
import { allCapturePaths, IMAGE_CREATE } from '../helpers/interchange-captures.js';

const VERSION = '0.0.0-test';

function roundTrip(capture: Capture, name: string): Capture {
  return parseHar(renderHar(capture, { secrets: 'raw', version: VERSION }), name, { flowscribeVersion: VERSION });
}

describe.each(allCapturePaths().map((p) => [basename(p), p]))('%s', (_name, path) => {
  it('exports HAR that validates against the HAR 1.2 schema', async () => {
    const har = toHar(await readCapture(path), { secrets: 'mask', version: VERSION });
    const validate = harDocumentValidator();
    expect(validate(har), describeHarError(validate.errors)).toBe(true);
  });

  it('round-trips capture → HAR → capture field by field', async () => {
    const capture = await readCapture(path);
    const back = roundTrip(capture, `${path}.har`);
    expect(back.header).toEqual(capture.header);
    expect(back.trailer).toEqual(capture.trailer);
    expect(back.exchanges.length).toBe(capture.exchanges.length);
    back.exchanges.forEach((e, i) => expect(e).toEqual(capture.exchanges[i]));
  });
});

describe('HAR export of the image-create capture', () => {
  it('keeps header order and case, the reason phrase, sizes and our fields', async () => {
    const capture = await readCapture(IMAGE_CREATE);
    const har = toHar(capture, { secrets: 'raw', version: VERSION });
    const first = har.log.entries[0];
    const e = capture.exchanges[0];
    if (!first || !e || !e.response) throw new Error('empty capture');
    expect(first.request.headers.map((h) => [h.name, h.value])).toEqual(e.request.headers);
    expect(first.response.statusText).toBe('MULTIPLE CHOICES');
    expect(first.response.bodySize).toBe(e.response.body.sizeBytes);
    expect(first.response.content._sha256).toBe(e.response.body.sha256);
    expect(first._seq).toBe(1);
    expect(first.startedDateTime).toBe(e.timings.requestStart.at);
    expect(first.timings.send).toBeCloseTo((e.timings.requestEnd!.ns - e.timings.requestStart.ns) / 1e6, 6);
    expect(har.log.entries.map((x) => x._seq)).toEqual(capture.exchanges.map((x) => x.seq));
  });

  it('masks passwords by default and shows them with --secrets raw', async () => {
    const capture = await readCapture(IMAGE_CREATE);
    const masked = renderHar(capture, { secrets: 'mask', version: VERSION });
    const raw = renderHar(capture, { secrets: 'raw', version: VERSION });
    const passwordRe = /\\"password\\": \\"([^"\\]+)\\"/g;
    const rawPasswords = [...raw.matchAll(passwordRe)].map((m) => m[1]);
    expect(rawPasswords.length).toBeGreaterThan(0);
    expect(rawPasswords.some((p) => p !== MASK)).toBe(true);
    const maskedPasswords = [...masked.matchAll(passwordRe)].map((m) => m[1]);
    expect(maskedPasswords.length).toBe(rawPasswords.length);
    expect(new Set(maskedPasswords)).toEqual(new Set([MASK]));
  });

  it('writes base64 bodies with encoding "base64"', async () => {
    const capture = await readCapture(allCapturePaths().find((p) => p.endsWith('binary-body.jsonl'))!);
    const har = toHar(capture, { secrets: 'mask', version: VERSION });
    const binary = har.log.entries.flatMap((x) => [x.request.postData, x.response.content]).filter((b) => b?.encoding === 'base64');
    expect(binary.length).toBeGreaterThan(0);
  });
});

describe('a page rendered from the exported .har', () => {
  it('is the page of the capture itself, byte for byte (render reads .har directly)', async () => {
    const work = mkdtempSync(join(tmpdir(), 'flowscribe-har-page-'));
    try {
      const har = join(work, 'image-create.har');
      writeFileSync(har, renderHar(await readCapture(IMAGE_CREATE), { secrets: 'raw', version: VERSION }));
      const fromJsonl = await renderCaptureFile(IMAGE_CREATE, join(work, 'a', 'page.md'), {});
      const fromHar = await renderCaptureFile(har, join(work, 'b', 'page.md'), {});
      expect(fromHar.markdown).toBe(fromJsonl.markdown);
      expect(fromHar.diagrams).toEqual(fromJsonl.diagrams);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

/** The HAR another tool would write: no `_` fields (no attribution, no flowscribe header). */
function withoutCustomFields(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutCustomFields);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !k.startsWith('_')).map(([k, v]) => [k, withoutCustomFields(v)]));
}

describe('a HAR without flowscribe\'s fields (as other tools write it)', () => {
  it('still names hosts from the Keystone catalogs in it; the HAR creator sends every request', async () => {
    const work = mkdtempSync(join(tmpdir(), 'flowscribe-har-foreign-'));
    try {
      const har = join(work, 'foreign.har');
      writeFileSync(har, JSON.stringify(withoutCustomFields(toHar(await readCapture(IMAGE_CREATE), { secrets: 'mask', version: VERSION }))));
      const page = await renderCaptureFile(har, join(work, 'page.md'), {});
      const diagram = fullDiagram(page.markdown);
      expect(diagram.participants).toEqual(['flowscribe', 'keystone-api', 'glance-api', 'swift-proxy-server']);
      expect(diagram.arrows.filter((a) => a.kind === 'request')).toHaveLength(25);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
