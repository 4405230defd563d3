import { describe, expect, it } from 'vitest';
import { createReadStream, mkdtempSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forEachLine } from '../../src/model/capture.js';

/** What Node's readline (what reading used before) gives for the file, and its last character. */
async function readlineLines(path: string): Promise<{ lines: string[]; endsWithNewline: boolean }> {
  const lines: string[] = [];
  for await (const line of createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity })) lines.push(line);
  const text = await (await import('node:fs/promises')).readFile(path, 'utf8');
  return { lines, endsWithNewline: text.endsWith('\n') };
}

async function ownLines(path: string): Promise<{ lines: string[]; endsWithNewline: boolean }> {
  const lines: string[] = [];
  const file = await open(path, 'r');
  try {
    return { endsWithNewline: await forEachLine(file, (line) => lines.push(line)), lines };
  } finally {
    await file.close();
  }
}

const MiB = 1 << 20;

describe('forEachLine (the capture reader)', () => {
  // Line ends of every kind, blank lines, a line longer than one read with a multi-byte character
  // across each read boundary, and texts with and without a final line break.
  // 3-byte characters over 3 MiB: most read boundaries fall inside one.
  const long = `{"a":"${'€'.repeat(MiB)}😀é"}`;
  const texts: Record<string, string> = {
    lf: '{"a":1}\n{"b":2}\n',
    'no final newline': '{"a":1}\n{"b":2}',
    crlf: '{"a":1}\r\n{"b":2}\r\n',
    'lone cr': '{"a":1}\r{"b":2}\n\r\n\r',
    'blank lines': '\n\n{"a":1}\n\n',
    empty: '',
    'multi-byte across reads': `${'z'.repeat(MiB - 1)}\n${long}\n{"é":"€"}\r\n${long}`,
    'invalid utf-8': '{"a":"\udc80"}\n',
    // Short lines over several reads: many 32 KiB decodes per read, CRLF and blank lines among them.
    'many lines across decodes and reads': Array.from({ length: 150_000 }, (_, i) => `${i % 7 === 0 ? '' : `{"é€${i}":${i}}`}${i % 5 === 0 ? '\r\n' : '\n'}`).join(''),
    // ASCII only, over several reads: line ends of every kind among many 32 KiB decodes.
    'ASCII lines over several reads': Array.from({ length: 150_000 }, (_, i) => `${i % 7 === 0 ? ' ' : `{"a${i}":"x\ty"}`}${i % 5 === 0 ? '\r\n' : i % 11 === 0 ? '\r' : '\n'}`).join(''),
    'ASCII reads only LF, then one non-ASCII line': `${Array.from({ length: 120_000 }, (_, i) => `{"a":${i}}\n`).join('')}{"é":1}\n{"b":2}`,
  };

  for (const [name, text] of Object.entries(texts)) {
    it(`splits and decodes as readline does: ${name}`, async () => {
      const path = join(mkdtempSync(join(tmpdir(), 'fs-lines-')), 'c.jsonl');
      writeFileSync(path, name === 'invalid utf-8' ? Buffer.from([0x7b, 0xff, 0xfe, 0x0a, 0xe2, 0x82]) : text);
      expect(await ownLines(path)).toEqual(await readlineLines(path));
    });
  }
});
