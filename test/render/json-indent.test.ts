import { describe, expect, it } from 'vitest';
import { indentJson } from '../../src/render/json-indent.js';

describe('indentJson', () => {
  it('indents with two spaces like JSON.stringify(value, null, 2) for ordinary documents', () => {
    const value = { a: [1, 'x', { b: null, c: true }], d: {}, e: [], f: 'q"uote\\back' };
    expect(indentJson(JSON.stringify(value))).toBe(JSON.stringify(value, null, 2));
  });

  it('keeps number literals, escapes and key order exactly as recorded', () => {
    expect(indentJson('{"z": 1.0, "a": 12345678901234567890, "s": "\\u00e9\\"]"}')).toBe(
      '{\n  "z": 1.0,\n  "a": 12345678901234567890,\n  "s": "\\u00e9\\"]"\n}',
    );
  });

  it('handles strings ending in escaped backslashes', () => {
    expect(indentJson('["a\\\\", "b"]')).toBe('[\n  "a\\\\",\n  "b"\n]');
  });

  it('returns null for text that is not JSON', () => {
    expect(indentJson('')).toBeNull();
    expect(indentJson('<html>')).toBeNull();
    expect(indentJson('{"a": ')).toBeNull();
    expect(indentJson('None')).toBeNull();
  });

  it('pretty-prints scalars and empty containers on one line', () => {
    expect(indentJson(' 42\n')).toBe('42');
    expect(indentJson('[ ]')).toBe('[]');
  });
});
