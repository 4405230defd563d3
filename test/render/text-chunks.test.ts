import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BacktickRuns, fenceFor } from '../../src/render/fence.js';
import { CHUNK, ChunkedText, collectChunks, endingWithOneNewline } from '../../src/render/text-chunks.js';

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
    expect(collectChunks((sink) => new ChunkedText(CHUNK, sink).end())).toEqual([]);
  });

  it('gives as chunks exactly the text, in order, whatever the chunk size', () => {
    const pieces = ['', 'a', 'bc', '', 'def', 'ghij', 'k', 'lmnopq', 'r', 'stuvwxyz', 'é', '✕', '\n\n'];
    for (const chunk of [1, 2, 3, 5, 8, 1000]) {
      const chunks = collectChunks((sink) => {
        const text = new ChunkedText(chunk, sink);
        pieces.forEach((piece) => text.add(piece));
        text.end();
      });
      expect(chunks.join(''), `chunk ${chunk}`).toBe(pieces.join(''));
      expect(chunks.every((c) => c.length > 0)).toBe(true);
    }
  });
});

describe('ChunkedText with a sink', () => {
  it('hands out each chunk as soon as it is full, and the rest at the end', () => {
    const out: string[] = [];
    const text = new ChunkedText(4, (chunk) => out.push(chunk));
    text.add('ab');
    expect(out).toEqual([]);
    text.add('cde');
    expect(out).toEqual(['abcde']);
    text.add('f');
    text.end();
    expect(out).toEqual(['abcde', 'f']);
    text.end();
    expect(out).toEqual(['abcde', 'f']); // nothing twice
  });
});

describe('over chunks, what the joined text gives', () => {
  const texts = ['', '\n', '\n\n\n', 'a', 'a\n', 'a\n\n', 'ab\n\n\nc\n\n', 'x\n\ny'];

  it('endingWithOneNewline: exactly one final newline, whatever the chunks', () => {
    for (const text of texts) {
      const once = text.replace(/\n*$/, '\n');
      for (const chunks of splits(text)) {
        const out: string[] = [];
        const ending = endingWithOneNewline((chunk) => out.push(chunk));
        chunks.forEach(ending.sink);
        ending.end();
        expect(out.join(''), JSON.stringify(chunks)).toBe(once);
      }
    }
  });

  it('BacktickRuns: a fence longer than every backtick run, runs across chunk ends counted whole', () => {
    for (const text of ['', 'a', '`', '```', 'a``b````c', '`````', 'x```\n``\n``````y', '``a``']) {
      for (const chunks of splits(text)) {
        const runs = new BacktickRuns();
        chunks.forEach((chunk) => runs.add(chunk));
        expect(runs.fence(), JSON.stringify(chunks)).toBe(fenceFor(text));
      }
    }
  });
});

/** The built module: the child runs plain JavaScript (`npm test` builds first). */
const distModule = new URL('../../dist/render/text-chunks.js', import.meta.url).href;

describe('flatten once optimized', () => {
  // A search whose result goes unused is dead code to V8's optimizing compiler: `flatten` then
  // joined nothing and every chunk after the first hundred stayed a tree of ~2,000 pieces. Here
  // flatten is optimized on purpose, then string trees kept through it are counted in a heap
  // snapshot against the same trees kept as they are.
  const child = String.raw`
    import v8 from 'node:v8';
    import { readFileSync, rmSync } from 'node:fs';
    const { flatten } = await import(process.argv[1]);
    %PrepareFunctionForOptimization(flatten);
    for (let i = 0; i < 3; i += 1) flatten('a' + i + 'b');
    %OptimizeFunctionOnNextCall(flatten);
    flatten('c' + Math.random() + 'd');
    const optimized = (%GetOptimizationStatus(flatten) & 16) !== 0; // V8 11: bit 16 = optimized
    const keep = [];
    const consStrings = () => {
      const file = v8.writeHeapSnapshot(process.argv[2]);
      const snap = JSON.parse(readFileSync(file, 'utf8'));
      rmSync(file);
      const { node_fields: fields, node_types: [types] } = snap.snapshot.meta;
      let n = 0;
      for (let i = 0; i < snap.nodes.length; i += fields.length) if (types[snap.nodes[i]] === 'concatenated string') n += 1;
      return n;
    };
    const trees = (through) => { for (let j = 0; j < 5; j += 1) { let s = ''; for (let i = 0; i < 2000; i += 1) s += 'ab' + i + '-' + j + keep.length; keep.push(through(s)); } };
    const before = consStrings();
    trees((s) => s);
    const kept = consStrings() - before;
    trees(flatten);
    const flattened = consStrings() - before - kept;
    console.log(JSON.stringify({ optimized, kept, flattened }));
  `;

  it('still joins the pieces', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowscribe-flat-'));
    try {
      const out = execFileSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', child, distModule, join(dir, 'h.heapsnapshot')], {
        encoding: 'utf8',
      });
      const { optimized, kept, flattened } = JSON.parse(out) as { optimized: boolean; kept: number; flattened: number };
      expect(optimized).toBe(true);
      expect(kept).toBeGreaterThan(9000); // 5 trees of 2,000 pieces: the count works
      expect(flattened).toBeLessThan(100);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
