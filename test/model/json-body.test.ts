import { describe, expect, it } from 'vitest';
import type { Body } from '../../src/model/exchange.js';
import { parseJsonBody, sharingParsedBodies } from '../../src/model/json-body.js';

const body = (data: string): Body => ({
  sizeBytes: data.length, sha256: '0'.repeat(64), mediaType: 'application/json', contentEncoding: null, encoding: 'utf8', data, truncatedBytes: 0, file: null,
});

describe('parseJsonBody and sharingParsedBodies', () => {
  const token = body('{"token": {"catalog": [{"type": "image"}]}}');

  it('parses each body once while work shares them, nested work included', () => {
    sharingParsedBodies(() => {
      const first = parseJsonBody(token);
      expect(first).toEqual({ token: { catalog: [{ type: 'image' }] } });
      expect(parseJsonBody(token)).toBe(first);
      sharingParsedBodies(() => expect(parseJsonBody(token)).toBe(first));
      expect(parseJsonBody(token)).toBe(first);
    });
  });

  it('keeps nothing once the work is done (nor outside any), even when it threw', () => {
    const inside = sharingParsedBodies(() => parseJsonBody(token));
    const after = parseJsonBody(token);
    expect(after).toEqual(inside);
    expect(after).not.toBe(inside);
    expect(() => sharingParsedBodies(() => {
      parseJsonBody(token);
      throw new Error('stop');
    })).toThrow('stop');
    expect(parseJsonBody(token)).not.toBe(parseJsonBody(token));
  });

  it('gives undefined for what is not a whole JSON document', () => {
    for (const data of ['', 'plain', '{"cut": ', '42']) expect(parseJsonBody(body(data))).toBeUndefined();
    expect(parseJsonBody({ ...token, truncatedBytes: 1 })).toBeUndefined();
    expect(parseJsonBody({ ...token, encoding: 'base64' })).toBeUndefined();
  });
});
