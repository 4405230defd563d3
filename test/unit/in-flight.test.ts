import { describe, expect, it } from 'vitest';
import { InFlightList, type InFlightLinks } from '../../src/capture/in-flight.js';

class Entry implements InFlightLinks<Entry> {
  previousInFlight: Entry | null = null;
  nextInFlight: Entry | null = null;
  constructor(readonly name: string) {}
}

const names = (list: InFlightList<Entry>): string[] => list.values().map((e) => e.name);

describe('InFlightList', () => {
  it('holds what was added until it is deleted, from any position', () => {
    const list = new InFlightList<Entry>();
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((n) => new Entry(n)) as [Entry, Entry, Entry, Entry];
    for (const e of [a, b, c, d]) list.add(e);
    expect(names(list)).toEqual(['d', 'c', 'b', 'a']);
    list.delete(c); // middle
    list.delete(d); // head
    list.delete(a); // tail
    expect(names(list)).toEqual(['b']);
    expect(list.size).toBe(1);
    list.delete(b);
    expect(names(list)).toEqual([]);
    expect(list.size).toBe(0);
  });

  it('lets go of a deleted entry: it points at no other, and none at it', () => {
    const list = new InFlightList<Entry>();
    const [a, b, c] = ['a', 'b', 'c'].map((n) => new Entry(n)) as [Entry, Entry, Entry];
    for (const e of [a, b, c]) list.add(e);
    list.delete(b);
    expect([b.previousInFlight, b.nextInFlight]).toEqual([null, null]);
    expect(c.nextInFlight).toBe(a);
    expect(a.previousInFlight).toBe(c);
    expect(list.has(b)).toBe(false);
  });

  it('ignores deleting an entry twice or one never added, and adding one twice', () => {
    const list = new InFlightList<Entry>();
    const [a, b, stranger] = ['a', 'b', 'x'].map((n) => new Entry(n)) as [Entry, Entry, Entry];
    list.add(a);
    list.add(b);
    list.add(b);
    list.delete(a);
    list.delete(a);
    list.delete(stranger);
    expect(names(list)).toEqual(['b']);
    expect(list.size).toBe(1);
  });

  it('can be gone through while its entries delete themselves', () => {
    const list = new InFlightList<Entry>();
    for (const n of ['a', 'b', 'c']) list.add(new Entry(n));
    const seen: string[] = [];
    for (const e of list.values()) {
      seen.push(e.name);
      list.delete(e);
    }
    expect(seen).toEqual(['c', 'b', 'a']);
    expect(list.size).toBe(0);
  });
});
