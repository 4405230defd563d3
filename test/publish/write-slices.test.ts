/** Pages are written slice by slice (publish/output.ts `TextFileWriter`): the file must hold exactly the text's UTF-8. */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TextFileWriter } from '../../src/publish/output.js';

const dir = mkdtempSync(join(tmpdir(), 'flowscribe-slices-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The text (one string or its chunks) written to `path` through a writer of `slice` units. */
function writeSlices(path: string, text: string | string[], slice?: number): void {
  const fd = openSync(path, 'w');
  try {
    const writer = new TextFileWriter(fd, slice);
    for (const chunk of typeof text === 'string' ? [text] : text) writer.write(chunk);
    writer.end();
  } finally {
    closeSync(fd);
  }
}

describe('TextFileWriter', () => {
  it('writes the UTF-8 of the text whatever the slice size, never splitting a surrogate pair', () => {
    // 😀 is two UTF-16 units: slices of 1-4 units end between its halves at some point.
    const text = 'a😀b ✕ c😀😀\nd'.repeat(3);
    for (const slice of [1, 2, 3, 4, 1 << 20]) {
      const path = join(dir, `s${slice}.md`);
      writeSlices(path, text, slice);
      expect(readFileSync(path).equals(Buffer.from(text, 'utf8')), `slice ${slice}`).toBe(true);
    }
  });

  it('writes the UTF-8 of the joined chunks, a surrogate pair split across chunk ends included', () => {
    const text = 'a😀b ✕ é\n😀😀c';
    const cuts: string[][] = [];
    for (let i = 0; i <= text.length; i += 1) {
      for (let j = i; j <= text.length; j += 1) cuts.push([text.slice(0, i), text.slice(i, j), '', text.slice(j)]);
    }
    cuts.push(['\ud83d', '\ude00', '\ud83d'], ['x\ud83d'], ['\ude00y']); // lone halves too, as the joined text has them
    for (const chunks of cuts) {
      for (const slice of [1, 2, 3, 1 << 20]) {
        const path = join(dir, `c${slice}.md`);
        writeSlices(path, chunks, slice);
        expect(readFileSync(path).equals(Buffer.from(chunks.join(''), 'utf8')), `${JSON.stringify(chunks)} slice ${slice}`).toBe(true);
      }
    }
  });

  it('replaces what the file held and writes an empty text as an empty file', () => {
    const path = join(dir, 'old.md');
    writeFileSync(path, 'a much longer old content');
    writeSlices(path, 'new', 2);
    expect(readFileSync(path, 'utf8')).toBe('new');
    writeSlices(path, '');
    expect(readFileSync(path, 'utf8')).toBe('');
  });
});
