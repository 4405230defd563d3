/**
 * The page templates compiled from their text: `page` and `partials/*` (handlebars), with
 * `{ noEscape: true, strict: true }`: the output is Markdown, and a missing field must throw.
 * Reading them from disk (the shipped `templates/`, `--templates DIR`) is publish/template-files.ts.
 *
 * The shipped templates are also precompiled (precompiled-templates.ts, `npm run generate`): when
 * every text is the one precompiled, only handlebars' runtime is needed, not its compiler, which
 * takes longer to load and compile than rendering a small page does.
 */
import type Handlebars from 'handlebars';
import { UserError } from '../errors.js';
import { PRECOMPILED } from './precompiled-templates.js';
import { CHUNK, ChunkedText, flatten, type Sink } from './text-chunks.js';

export interface Templates {
  /** Renders the page from its view. */
  page: (view: object) => string;
  /**
   * The same text as `page`, handed to `sink` in chunks as it is made (text-chunks.ts): the page's
   * lists (its sections) are made while they are written, never held whole.
   */
  pageTo: (view: object, sink: Sink) => void;
  /** Where each template was read from, by name (`page`, `partials/arrow`, ...). */
  sources: Record<string, string>;
}

/** One template's text and, for error messages, where it came from. */
export interface TemplateSource {
  path: string;
  text: string;
}

/** handlebars' two entry points, loaded by the caller on demand. */
export interface HandlebarsEngines {
  /** The runtime alone: enough for precompiled templates. */
  runtime: () => typeof Handlebars;
  /** Runtime and compiler, for a template that is not precompiled (an override, an edited file). */
  compiler: () => typeof Handlebars;
}

/**
 * What a set of templates is compiled with (also what the shipped ones are precompiled with):
 * - `noEscape`: the output is Markdown;
 * - `strict` for a set with any template edited (`--templates`, a changed file): a missing field
 *   throws, naming it and its place, rather than printing nothing. The shipped set as shipped is
 *   precompiled without it (its check cost about 80 M instructions at 10,000 exchanges, a twentieth
 *   of the page): test/render/templates.test.ts renders every fixture capture with it compiled
 *   strict too, so a shipped template naming a field the view does not have fails there;
 * - `knownHelpersOnly`: no helpers but handlebars' own exist, so `{{n}}` is a field lookup rather
 *   than a test for a helper named `n` first (an unknown helper fails when compiled, not when run);
 * - `data` only when some template uses an `@` variable (`@index`, `@first`...): without it
 *   handlebars makes no data frame per `each` item nor a fresh block function per `if`. The whole
 *   set shares it, since a partial reads the data frames of the template that includes it.
 */
export function compileOptions(texts: readonly string[], shipped: boolean): CompileOptions {
  return { noEscape: true, strict: !shipped, knownHelpersOnly: true, data: texts.some((text) => text.includes('@')) };
}

type Precompiled = Record<string, { text: string; spec: TemplateSpecification }>;

function compile(env: typeof Handlebars, source: TemplateSource, options: CompileOptions): HandlebarsTemplateDelegate {
  try {
    env.precompile(source.text, options); // compile() reports errors only on first use; name the file now
  } catch (err) {
    const message = ((err as Error).message.split('\n')[0] ?? '').replace(/^You specified knownHelpersOnly, but used the unknown helper/, 'unknown helper');
    throw new UserError(`${source.path}: not a valid handlebars template (${message})`);
  }
  return env.compile(source.text, options);
}

/** The precompiled form of every source, or null when any text differs from what was precompiled. */
function precompiledSpecs(sources: Record<string, TemplateSource>): Map<string, TemplateSpecification> | null {
  const known = PRECOMPILED as Precompiled;
  const specs = new Map<string, TemplateSpecification>();
  for (const [name, source] of Object.entries(sources)) {
    const entry = known[name];
    if (!entry || entry.text !== source.text) return null;
    specs.set(name, entry.spec);
  }
  return specs;
}

/**
 * A partial whose Markdown comes back as one string. handlebars joins a section of ~25 pieces with
 * `+`, which V8 keeps as a tree of pieces until something reads the text; a search makes it join
 * them in place. Joined per section, the page holds a section's text once instead of its pieces,
 * its view and the tree (with lazy-items.ts: at 10,000 exchanges a third less for the garbage
 * collector to copy, and a page of 20,000 pieces rather than half a million to join at the end).
 */
function flatOutput(partial: HandlebarsTemplateDelegate): HandlebarsTemplateDelegate {
  return (context, options) => {
    const text = partial(context, options);
    // A partial as long as a chunk (a diagram) is a few large pieces: joining would only copy them.
    return text.length < CHUNK ? flatten(text) : text;
  };
}

/**
 * Where a page rendered for a sink keeps its outermost `each`es: each list is made later, when the
 * page is written, straight into the sink; the page's text holds `MARK<n>MARK` in its place.
 */
interface ListState {
  lists: Array<(sink: Sink) => void> | null;
  depth: number;
}

const MARK = '\u0000';

/**
 * handlebars' `each` with its items' text joined in chunks (text-chunks.ts) rather than one `+` per
 * item: the page's 20,000 sections become garbage as soon as their chunk is written. Every item
 * still goes through handlebars' own `each` (frames, `@index`, `else`), whose own result is then
 * `''` for a list with items and the `else` block's text for an empty one.
 */
function chunkedEach(each: Handlebars.HelperDelegate, state: ListState): Handlebars.HelperDelegate {
  const run = (self: unknown, context: unknown, options: Handlebars.HelperOptions, text: ChunkedText): string => {
    const fn = (item: unknown, itemOptions?: Handlebars.RuntimeOptions): string => {
      text.add(options.fn(item, itemOptions));
      return '';
    };
    state.depth += 1;
    try {
      return each.call(self, context, { ...options, fn }) as string;
    } finally {
      state.depth -= 1;
    }
  };
  return function (this: unknown, context: unknown, options: Handlebars.HelperOptions) {
    if (!state.lists || state.depth > 0) {
      const text = new ChunkedText();
      const rest = run(this, context, options, text);
      return text.text() + rest;
    }
    // handlebars' closures outlive the template's call: the list is made when it is written.
    const made = (sink: Sink): void => {
      const text = new ChunkedText(CHUNK, sink);
      const rest = run(this, context, options, text);
      text.end();
      if (rest) sink(rest);
    };
    return `${MARK}${state.lists.push(made) - 1}${MARK}`;
  };
}

/**
 * The texts around the lists' marks (one more than there are lists), or null when the marks are
 * not exactly the lists' (captured text outside a list holding something that looks like a mark).
 * `indexOf`, not a regex split: the text around the lists holds the diagrams, megabytes at 10,000
 * exchanges. A NUL before the last list's mark that is not the next mark sends the page the slow
 * way (rendered again as one string), as a mark-like text anywhere else does.
 */
function textsAroundMarks(text: string, lists: number): string[] | null {
  const texts: string[] = [];
  let from = 0;
  for (let i = 0; i < lists; i += 1) {
    const mark = `${MARK}${i}${MARK}`;
    const at = text.indexOf(MARK, from);
    if (at < 0 || !text.startsWith(mark, at)) return null;
    texts.push(text.slice(from, at));
    from = at + mark.length;
  }
  // Every NUL up to the last list was its mark; one after it that looks like a mark is not ours.
  const rest = /\u0000\d+\u0000/g;
  rest.lastIndex = from;
  if (text.indexOf(MARK, from) >= 0 && rest.test(text)) return null;
  texts.push(from === 0 ? text : text.slice(from));
  return texts;
}

/** Compiles `page` with every `partials/<name>` registered; `missing` names where `page` should have been. */
export function compileTemplates(sources: Record<string, TemplateSource>, missing: string, engines: HandlebarsEngines): Templates {
  const specs = precompiledSpecs(sources);
  const env = specs ? engines.runtime().create() : engines.compiler().create();
  const each = env.helpers.each;
  const state: ListState = { lists: null, depth: 0 };
  if (each) env.registerHelper('each', chunkedEach(each, state));
  const options = compileOptions(Object.values(sources).map((s) => s.text), false);
  const load = (name: string, source: TemplateSource): HandlebarsTemplateDelegate => {
    const spec = specs?.get(name);
    return spec ? env.template(spec) : compile(env, source, options);
  };
  for (const [name, source] of Object.entries(sources)) {
    if (name.startsWith('partials/')) env.registerPartial(name.slice('partials/'.length), flatOutput(load(name, source)));
  }
  const pageSource = sources.page;
  if (!pageSource) throw new UserError(`${missing}: page.md.hbs is missing`);
  const page = load('page', pageSource);
  const pageTo = (view: object, sink: Sink): void => {
    const lists: Array<(sink: Sink) => void> = [];
    state.lists = lists;
    let text: string;
    try {
      text = page(view);
    } finally {
      state.lists = null;
    }
    const texts = textsAroundMarks(text, lists.length);
    if (!texts) {
      sink(page(view));
      return;
    }
    texts.forEach((part, i) => {
      if (part) sink(part);
      lists[i]?.(sink);
    });
  };
  return { page: (view) => page(view), pageTo, sources: Object.fromEntries(Object.entries(sources).map(([n, s]) => [n, s.path])) };
}
