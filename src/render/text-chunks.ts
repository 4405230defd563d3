/**
 * Long text (the page's sections, the log) built from many pieces. `a + b` makes V8 keep a tree of
 * the pieces; each piece, small and young, is then copied by the young-generation collector on
 * its way to the old generation, since the page holds it until the end. Here the pieces are joined
 * into one flat string every `CHUNK` characters: a string that long is allocated as a large object,
 * which the collector never copies, and the pieces die young (the page at 10,000 exchanges: 10 MB
 * that was copied twice).
 */

/** Characters per joined chunk: at one byte each, above V8's largest regular object (128 KiB). */
export const CHUNK = 1 << 18;

/** Joins the pieces of a V8 string tree into one flat string in place (a search does). */
export function flatten(text: string): string {
  text.includes('\0');
  return text;
}

export class ChunkedText {
  private joined = '';
  private pending = '';

  constructor(private readonly chunk = CHUNK) {}

  add(piece: string): void {
    this.pending += piece;
    if (this.pending.length < this.chunk) return;
    this.joined += flatten(this.pending);
    this.pending = '';
  }

  /** The text so far: a tree of at most a few dozen flat chunks. */
  text(): string {
    return this.joined + this.pending;
  }
}
