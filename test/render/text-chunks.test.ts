import { describe, expect, it } from 'vitest';
import { ChunkedText } from '../../src/render/text-chunks.js';

describe('ChunkedText', () => {
  it('holds exactly the pieces added, in order, whatever the chunk size', () => {
    const pieces = ['', 'a', 'bc', '', 'def', 'ghij', 'k', 'lmnopq', 'r', 'stuvwxyz', 'é', '✕', '\n\n'];
    for (const chunk of [1, 2, 3, 5, 8, 1000]) {
      const text = new ChunkedText(chunk);
      let expected = '';
      for (const piece of pieces) {
        text.add(piece);
        expected += piece;
        expect(text.text(), `chunk ${chunk}`).toBe(expected);
      }
    }
  });

  it('is empty before anything is added', () => {
    expect(new ChunkedText().text()).toBe('');
  });
});
