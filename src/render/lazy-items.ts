/**
 * A list whose items are made when they are read. The page's sections are made this way, one at a
 * time as the template walks them: each section's view (its header and body text, fenced and
 * indented) then lives only while its Markdown is made, instead of all of them at once until the
 * whole page is done (at 10,000 exchanges, 20,000 views that the garbage collector copied twice).
 *
 * It is an array to every reader (`Array.isArray`, `length`, indexing, iteration, handlebars'
 * `each`). Reading the index just read gives the same object (`each` reads every item twice);
 * any other read makes the item again, so `make` must be pure.
 */
const INDEX = /^(?:0|[1-9]\d*)$/;

export function lazyItems<S, T>(sources: readonly S[], make: (source: S) => T): T[] {
  let lastIndex = -1;
  let last: T | undefined;
  const item = (target: S[], key: string): T => {
    const i = Number(key);
    if (i !== lastIndex) {
      last = make(target[i] as S);
      lastIndex = i;
    }
    return last as T;
  };
  const isItem = (target: S[], key: string | symbol): key is string => typeof key === 'string' && INDEX.test(key) && Number(key) < target.length;
  const handler: ProxyHandler<S[]> = {
    get: (target, key, receiver) => (isItem(target, key) ? item(target, key) : Reflect.get(target, key, receiver)),
    getOwnPropertyDescriptor: (target, key) =>
      isItem(target, key) ? { value: item(target, key), writable: true, enumerable: true, configurable: true } : Reflect.getOwnPropertyDescriptor(target, key),
  };
  return new Proxy(sources.slice(), handler) as unknown as T[];
}
