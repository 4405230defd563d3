/**
 * Long text (the page's sections, the log) built from many pieces. `a + b` makes V8 keep a tree of
 * the pieces; each piece, small and young, is then copied by the young-generation collector on
 * its way to the old generation, since the page holds it until the end. Here the pieces are joined
 * into one flat string every `CHUNK` characters, so they die young and the collector copies a few
 * hundred chunks instead of tens of thousands of pieces and the tree above them.
 */

/**
 * Characters per joined chunk. Chunks above V8's largest regular object (128 KiB) are large
 * objects, each in fresh memory of its own: 256 Ki-character chunks cost 350 M more instructions
 * at 10,000 exchanges than 16-64 Ki ones (callgrind; those three sizes were alike).
 */
export const CHUNK = 1 << 15;

/**
 * Where `flatten` keeps its search's answer. An unused result lets the optimizing compiler drop the
 * search as dead code, and with it the join: once hot, `flatten` left every chunk a tree of pieces.
 */
let searched = false;

/** Joins the pieces of a V8 string tree into one flat string in place (a search does). */
export function flatten(text: string): string {
  searched = text.includes('\0');
  return text;
}

/** Where text goes, chunk by chunk and in order, as it is made. */
export type Sink = (chunk: string) => void;

/** The chunks `make` hands its sink, kept in order. */
export function collectChunks(make: (sink: Sink) => void): string[] {
  const chunks: string[] = [];
  make((chunk) => chunks.push(chunk));
  return chunks;
}

/**
 * Pieces joined into flat chunks of about `chunk` characters. Without a sink the chunks are kept
 * (`text()`); with one, each goes to the sink as soon as it is full, and `end()` hands
 * it the rest: a page written that way is never held whole (15 MB at 10,000 exchanges that the
 * young collector copied twice and the old generation took fresh memory for).
 */
export class ChunkedText {
  private readonly done: string[] = [];
  private pending = '';

  constructor(
    private readonly chunk = CHUNK,
    private readonly sink: Sink | null = null,
  ) {}

  add(piece: string): void {
    this.pending += piece;
    if (this.pending.length < this.chunk) return;
    this.hand(flatten(this.pending));
    this.pending = '';
  }

  /** Gives the sink what is left (a text without a sink keeps it for `text()`). */
  end(): void {
    if (!this.sink || !this.pending) return;
    this.sink(flatten(this.pending));
    this.pending = '';
  }

  /** The text so far as one string. */
  text(): string {
    return this.done.join('') + this.pending;
  }

  private hand(chunk: string): void {
    if (this.sink) this.sink(chunk);
    else this.done.push(chunk);
  }
}

/**
 * A sink in front of `sink` that ends the text with exactly one line break, whatever it ended
 * with (what `text.replace(/\n*$/, '\n')` does to the whole text): line breaks at the end of a
 * chunk are held back until some other text follows them. Call `end()` once, after the last chunk.
 */
export function endingWithOneNewline(sink: Sink): { sink: Sink; end: () => void } {
  let held = 0;
  return {
    sink(chunk) {
      let end = chunk.length;
      while (end > 0 && chunk.charCodeAt(end - 1) === 10) end -= 1;
      if (end === 0) {
        held += chunk.length;
        return;
      }
      if (held > 0) sink('\n'.repeat(held));
      sink(end === chunk.length ? chunk : chunk.slice(0, end));
      held = chunk.length - end;
    },
    end: () => sink('\n'),
  };
}
