import { describe, expect, it } from 'vitest';
import Handlebars from 'handlebars';
import { lazyItems } from '../../src/render/lazy-items.js';

const sources = [3, 1, 4, 1, 5];
const make = (n: number) => ({ n, label: `item ${n}`, twice: [n, n] });

describe('lazyItems', () => {
  it('reads as the eagerly made array does, to every kind of reader', () => {
    const eager = sources.map(make);
    const lazy = lazyItems(sources, make);
    expect(Array.isArray(lazy)).toBe(true);
    expect(lazy.length).toBe(5);
    expect(lazy[2]).toEqual(eager[2]);
    expect(lazy[5]).toBeUndefined();
    expect([...lazy]).toEqual(eager);
    expect(lazy.map((x) => x.label)).toEqual(eager.map((x) => x.label));
    expect(JSON.stringify(lazy)).toBe(JSON.stringify(eager));
    expect(Object.getOwnPropertyDescriptor(lazy, '1')?.value).toEqual(eager[1]);
    expect(Object.keys(lazy)).toEqual(Object.keys(eager));
    expect(lazy).toEqual(eager);
  });

  it("gives handlebars' each (strict, with @index/@first/@last and a lookup) the same text", () => {
    const template = Handlebars.create().compile('{{#each items}}{{@index}}{{#if @first}}^{{/if}}:{{label}}/{{twice.[1]}}{{#if @last}}${{/if}} {{/each}}{{items.length}} {{lookup items 1}}', { strict: true, noEscape: true });
    const eager = template({ items: sources.map(make) });
    expect(template({ items: lazyItems(sources, make) })).toBe(eager);
    expect(eager).toContain('0^:item 3/3 ');
  });

  it('makes each item once when read in order, twice read in a row included', () => {
    let made = 0;
    const lazy = lazyItems(sources, (n) => {
      made += 1;
      return make(n);
    });
    for (let i = 0; i < lazy.length; i += 1) expect(lazy[i]).toBe(lazy[i]);
    expect(made).toBe(sources.length);
  });
});
