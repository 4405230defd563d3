/**
 * The exchanges in flight, as a list linked through the entries themselves.
 *
 * Not a `Set`: with exchanges added and deleted thousands of times a second, a Set made whole
 * exchanges (requests, responses, their buffers) survive young-generation collections after they
 * had settled: with 32 keep-alive clients about 0.7 MB survived each one instead of 0.1–0.2 MB,
 * most of it promoted, and full collections came 4× as often (issue 13, docs/guide/speed.md).
 * Measured, not explained: V8 replaces a Set's table as deleted entries fill it, and a replaced
 * table that reached the old generation may still point at what it held. Here deleting an entry
 * clears every reference the list had to it.
 */

/** What an entry carries so that the list can unlink it in constant time. */
export interface InFlightLinks<T> {
  previousInFlight: T | null;
  nextInFlight: T | null;
}

export class InFlightList<T extends InFlightLinks<T>> {
  private head: T | null = null;
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(entry: T): void {
    if (this.has(entry)) return;
    entry.previousInFlight = null;
    entry.nextInFlight = this.head;
    if (this.head) this.head.previousInFlight = entry;
    this.head = entry;
    this.count += 1;
  }

  /** Unlinks `entry`; nothing happens when it is not in the list. */
  delete(entry: T): void {
    if (!this.has(entry)) return;
    const { previousInFlight: previous, nextInFlight: next } = entry;
    if (previous) previous.nextInFlight = next;
    else this.head = next;
    if (next) next.previousInFlight = previous;
    entry.previousInFlight = null;
    entry.nextInFlight = null;
    this.count -= 1;
  }

  has(entry: T): boolean {
    return entry.previousInFlight !== null || this.head === entry;
  }

  /** The entries, newest first (a copy: entries may be deleted while the caller goes through it). */
  values(): T[] {
    const out: T[] = [];
    for (let entry = this.head; entry; entry = entry.nextInFlight) out.push(entry);
    return out;
  }
}
