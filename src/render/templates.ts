/**
 * The page templates compiled from their text: `page` and `partials/*` (handlebars), with
 * `{ noEscape: true, strict: true }`: the output is Markdown, and a missing field must throw.
 * Reading them from disk (the shipped `templates/`, `--templates DIR`) is publish/template-files.ts.
 */
import Handlebars from 'handlebars';
import { UserError } from '../errors.js';

export interface Templates {
  /** Renders the page from its view. */
  page: (view: object) => string;
  /** Where each template was read from, by name (`page`, `partials/arrow`, ...). */
  sources: Record<string, string>;
}

/** One template's text and, for error messages, where it came from. */
export interface TemplateSource {
  path: string;
  text: string;
}

function compile(env: typeof Handlebars, source: TemplateSource): HandlebarsTemplateDelegate {
  try {
    env.parse(source.text); // compile() reports syntax errors only on first use; name the file now
  } catch (err) {
    throw new UserError(`${source.path}: not a valid handlebars template (${(err as Error).message.split('\n')[0]})`);
  }
  return env.compile(source.text, { noEscape: true, strict: true });
}

/** Compiles `page` with every `partials/<name>` registered; `missing` names where `page` should have been. */
export function compileTemplates(sources: Record<string, TemplateSource>, missing: string): Templates {
  const env = Handlebars.create();
  for (const [name, source] of Object.entries(sources)) {
    if (name.startsWith('partials/')) env.registerPartial(name.slice('partials/'.length), compile(env, source));
  }
  const pageSource = sources.page;
  if (!pageSource) throw new UserError(`${missing}: page.md.hbs is missing`);
  const page = compile(env, pageSource);
  return { page: (view) => page(view), sources: Object.fromEntries(Object.entries(sources).map(([n, s]) => [n, s.path])) };
}
