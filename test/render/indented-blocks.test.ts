// Captured text is indented for its block while it is made (JSON in the same pass, header lines as
// they are joined): each must equal the text made first and indented after (`indentLater`).
import { describe, expect, it } from 'vitest';
import type { Body } from '../../src/model/exchange.js';
import { presentArrowBody, presentBody } from '../../src/render/body-view.js';
import { escapeSnippetMarkers, fenceFor, indentLater } from '../../src/render/fence.js';
import { indentJson } from '../../src/render/json-indent.js';
import { arrowView } from '../../src/render/page-view.js';
import { makeBody, makeExchange } from '../helpers/exchanges.js';
import { simpleTimeline } from '../helpers/timelines.js';

const PREFIXES = ['', '    ', '\t> '];

const DOCUMENTS = [
  '{"a":[1,"x",{"b":null,"c":true}],"d":{},"e":[ ],"f":"q\\"uote\\\\back"}',
  '{ "z" : 1.0 ,\n "deep": [[[{"k": ["v", {"w": [1, [2, [3]]]}]}]]] }',
  '["line\\nbreak", "8< --8<-- \\"x\\"", "```"]',
  ' 42\n',
  '"just a string"',
  '[]',
];

const body = (data: string, extra: Partial<Body> = {}): Body => ({ ...makeBody(data), ...extra });

describe('indented while made', () => {
  it.each(PREFIXES)('indentJson with the prefix %j is the plain one indented after', (prefix) => {
    for (const doc of DOCUMENTS) {
      const plain = indentJson(doc);
      expect(plain, doc).not.toBeNull();
      expect(indentJson(doc, prefix), doc).toBe(indentLater(plain as string, prefix));
    }
    expect(indentJson('{"a": ', prefix)).toBeNull();
  });

  it.each(PREFIXES)('presentBody with the indent %j is the plain body indented after, in every case', (indent) => {
    const bodies: Array<[Body, 'request' | 'response']> = [
      [body('{"a": {"b": [1, 2]}}'), 'response'],
      [body('plain\ntext\r\nwith lines\n'), 'response'],
      [body('cut\nshort', { truncatedBytes: 12 }), 'response'],
      [body('', { encoding: 'base64', data: 'AAEC', sizeBytes: 3, mediaType: 'image/png\nx' }), 'response'],
      [body(''), 'request'],
      [body(''), 'response'],
    ];
    for (const [b, side] of bodies) {
      const plain = presentBody(b, side, 'None\nat all');
      expect(presentBody(b, side, 'None\nat all', indent), b.data).toEqual({ ...plain, text: indentLater(plain.text, indent) });
    }
    const failed = { ...makeExchange({ seq: 1 }), state: 'failed', response: null, error: { code: 'ECONNRESET', message: 'reset\nby peer' } } as never;
    const missing = presentArrowBody(body(''), 'response', failed, 'None');
    expect(presentArrowBody(body(''), 'response', failed, 'None', indent)).toEqual({ ...missing, text: indentLater(missing.text, indent) });
  });

  it("gives a section's header and body blocks the text joined, escaped, fenced and indented after", () => {
    const exchange = makeExchange({
      seq: 1,
      requestHeaders: [['Accept', 'application/json'], ['X-Odd', 'one\n--8<-- "/etc/passwd"\n  two ```'], ['X-Last', '`']],
      requestBody: 'not json\n--8<--\n;--8<-- "a"\n````',
    });
    const [request] = simpleTimeline([exchange]).arrows;
    if (!request) throw new Error('no request arrow');
    const view = arrowView(request, { originNs: null, hasResponseArrow: true, emptyRequestBody: 'None' });
    const joined = escapeSnippetMarkers(request.message.headers.map(([name, value]) => `${name}: ${value}`).join('\n'));
    expect(view.header.text).toBe(indentLater(joined, '    '));
    expect(view.header.fence).toBe(fenceFor(joined));
    const text = escapeSnippetMarkers('not json\n--8<--\n;--8<-- "a"\n````');
    expect(view.body).toEqual({ lang: 'text', fence: fenceFor(text), text: indentLater(text, '    ') });
    expect(view.header.text).toContain('\n    ;--8<-- "/etc/passwd"');
  });
});
