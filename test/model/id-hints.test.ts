import { describe, expect, it } from 'vitest';
import { ID_PATTERN, idsIn, someId } from '../../src/model/id-hints.js';

const UUID = 'e6167145-7865-4d3d-ad19-2a59fb3f1870';
const HEX = '3a16cadd069e4a70b95f71316ec6f3e8';

// Ids at the start, the end, after `AUTH_`, inside longer words (not ids), upper case, repeated.
const texts = [
  '',
  'no ids here',
  `/v2/images/${UUID}/file`,
  `${HEX}`,
  `/v1/AUTH_${HEX}/glance/${UUID}`,
  `x${HEX} ${HEX}y ${HEX.toUpperCase()} ${UUID}${UUID}`,
  `{"id": "${UUID}", "owner": "${HEX}", "again": "${UUID}"}`,
];

describe('idsIn and someId (one shared expression run with exec)', () => {
  for (const text of texts) {
    it(`finds what matchAll finds: ${JSON.stringify(text.slice(0, 40))}`, () => {
      expect(idsIn(text)).toEqual(Array.from(text.matchAll(ID_PATTERN), (m) => m[0]));
    });
  }

  it('is not thrown off by an earlier search left half way (someId stops at the first hit)', () => {
    const text = `${UUID} ${HEX}`;
    expect(someId(text, (id) => id === UUID)).toBe(true);
    expect(idsIn(text)).toEqual([UUID, HEX]);
    expect(someId(text, (id) => id === HEX)).toBe(true);
    expect(someId(text, () => false)).toBe(false);
    expect(someId(`/${HEX}`, (id) => id === HEX)).toBe(true);
  });
});
