/**
 * The page templates on disk: `templates/page.md.hbs` and `templates/partials/*.md.hbs`, shipped
 * with the package. `--templates DIR` overrides any of them file by file (same relative name).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors.js';
import { compileTemplates, type TemplateSource, type Templates } from '../render/templates.js';

/** The shipped templates directory (`<package>/templates`, from both `src/` and `dist/`). */
export const DEFAULT_TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

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

/** Loads the shipped templates, each replaced by the same-named file of `overrideDir` if given. */
export function loadTemplates(overrideDir: string | null = null): Templates {
  const paths = { ...templateFiles(DEFAULT_TEMPLATES_DIR), ...(overrideDir ? overrideFiles(overrideDir) : {}) };
  const sources: Record<string, TemplateSource> = Object.fromEntries(
    Object.entries(paths).map(([name, path]) => [name, { path, text: readFileSync(path, 'utf8') }]),
  );
  return compileTemplates(sources, DEFAULT_TEMPLATES_DIR);
}
