/**
 * The exchanges in flight, as a list linked through the entries themselves.
 *
 * Not a `Set`: with exchanges added and deleted at thousands per second, a Set kept each exchange's
 * whole object graph (requests, responses, sockets' buffers) alive through young-generation
 * collections long after it had settled — 32 keep-alive clients made 1.3 MB survive every scavenge
 * instead of 0.1 MB, most of it promoted, and the old generation filled with it (issue 13, see
 * docs/guide/speed.md). Here deleting an entry clears the only references to it.
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
