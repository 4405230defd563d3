import { describe, expect, it } from 'vitest';
import { fenceFor, fenceForChunks } from '../../src/render/fence.js';
import { normaliseEnd } from '../../src/render/page.js';
import { ChunkedText, joinChunks } from '../../src/render/text-chunks.js';

/** Every way to cut `text` into three chunks (empty ones included). */
function splits(text: string): string[][] {
  const out: string[][] = [];
  for (let i = 0; i <= text.length; i += 1) {
    for (let j = i; j <= text.length; j += 1) out.push([text.slice(0, i), text.slice(i, j), text.slice(j)]);
  }
  return out;
}

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
    expect(new ChunkedText().chunks()).toEqual([]);
  });

  it('gives as chunks exactly the text, in order, whatever the chunk size', () => {
    const pieces = ['', 'a', 'bc', '', 'def', 'ghij', 'k', 'lmnopq', 'r', 'stuvwxyz', 'é', '✕', '\n\n'];
    for (const chunk of [1, 2, 3, 5, 8, 1000]) {
      const text = new ChunkedText(chunk);
      pieces.forEach((piece) => text.add(piece));
      expect(joinChunks(text.chunks()), `chunk ${chunk}`).toBe(pieces.join(''));
      expect(text.chunks().every((c) => c.length > 0)).toBe(true);
    }
  });
});

describe('over chunks, what the joined text gives', () => {
  const texts = ['', '\n', '\n\n\n', 'a', 'a\n', 'a\n\n', 'ab\n\n\nc\n\n', 'x\n\ny'];

  it('normaliseEnd: exactly one final newline', () => {
    for (const text of texts) {
      const once = text.replace(/\n*$/, '\n');
      for (const chunks of splits(text)) expect(joinChunks(normaliseEnd(chunks)), JSON.stringify(chunks)).toBe(once);
    }
  });

  it('fenceForChunks: longer than every backtick run, runs across chunk ends counted whole', () => {
    for (const text of ['', 'a', '`', '```', 'a``b````c', '`````', 'x```\n``\n``````y', '``a``']) {
      for (const chunks of splits(text)) expect(fenceForChunks(chunks), JSON.stringify(chunks)).toBe(fenceFor(text));
    }
  });
});
