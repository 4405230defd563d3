/**
 * The page templates: `templates/page.md.hbs` and `templates/partials/*.md.hbs`, shipped with the
 * package. `--templates DIR` overrides any of them file by file (same relative name). Compiled with
 * `{ noEscape: true, strict: true }`: the output is Markdown, and a missing field must throw.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { UserError } from '../errors.js';

/** The shipped templates directory (`<package>/templates`, from both `src/` and `dist/`). */
export const DEFAULT_TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

export interface Templates {
  /** Renders the page from its view. */
  page: (view: object) => string;
  /** Where each template was read from, by name (`page`, `partials/arrow`, ...). */
  sources: Record<string, string>;
}

const SUFFIX = '.md.hbs';

function templateFiles(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const page = join(dir, `page${SUFFIX}`);
  if (existsSync(page)) files.page = page;
  const partials = join(dir, 'partials');
  if (existsSync(partials) && statSync(partials).isDirectory()) {
    for (const name of readdirSync(partials).sort()) {
      if (name.endsWith(SUFFIX)) files[`partials/${name.slice(0, -SUFFIX.length)}`] = join(partials, name);
    }
  }
  return files;
}

function overrideFiles(dir: string): Record<string, string> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UserError(`--templates ${dir}: not a directory`, 2);
  }
  const files = templateFiles(dir);
  if (Object.keys(files).length === 0) {
    throw new UserError(`--templates ${dir}: no page${SUFFIX} or partials/*${SUFFIX} in it`, 2);
  }
  return files;
}

function compile(env: typeof Handlebars, path: string): HandlebarsTemplateDelegate {
  const source = readFileSync(path, 'utf8');
  try {
    env.parse(source); // compile() reports syntax errors only on first use; name the file now
  } catch (err) {
    throw new UserError(`${path}: not a valid handlebars template (${(err as Error).message.split('\n')[0]})`);
  }
  return env.compile(source, { noEscape: true, strict: true });
}

/** Loads the shipped templates, each replaced by the same-named file of `overrideDir` if given. */
export function loadTemplates(overrideDir: string | null = null): Templates {
  const sources = { ...templateFiles(DEFAULT_TEMPLATES_DIR), ...(overrideDir ? overrideFiles(overrideDir) : {}) };
  const env = Handlebars.create();
  for (const [name, path] of Object.entries(sources)) {
    if (name.startsWith('partials/')) env.registerPartial(name.slice('partials/'.length), compile(env, path));
  }
  const pagePath = sources.page;
  if (!pagePath) throw new UserError(`${DEFAULT_TEMPLATES_DIR}: page${SUFFIX} is missing`);
  const page = compile(env, pagePath);
  return { page: (view) => page(view), sources };
}
