/**
 * The mkdocs.yml on disk: created from the default config when missing, else edited in place
 * (nav, site name, language) by `editMkdocsConfig`, which leaves every other byte as it was.
 * Written only when the text changes. Shared by `flowscribe site` and `flowscribe playbook`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { UserError } from '../errors.js';
import { defaultMkdocsConfig, editMkdocsConfig, readDocsDir, type ConfigEdits, type NavItem } from '../render/mkdocs-config.js';

/** What a writer puts in the config: its nav (from the current one) and optional names. */
export interface MkdocsUpdate extends ConfigEdits {
  nav: (current: NavItem[]) => NavItem[];
}

function readText(path: string): string | null {
  if (!existsSync(path)) return null;
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new UserError(`${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** The config must point at the docs dir we write, or mkdocs would build something else. */
export function checkDocsDir(configPath: string, docsOption: string): void {
  const text = readText(configPath);
  if (text === null) return;
  const docsDir = readDocsDir(text, configPath);
  if (resolve(dirname(resolve(configPath)), docsDir) !== resolve(docsOption)) {
    throw new UserError(`${configPath}: docs_dir is ${docsDir} but --docs is ${docsOption}`, 2, 'pass the same directory with --docs, or change docs_dir');
  }
}

/** Creates the config, or edits it; true when the file changed. */
export function writeMkdocsConfig(configPath: string, docsDir: string, update: MkdocsUpdate): boolean {
  const before = readText(configPath);
  const docsRel = relative(dirname(resolve(configPath)), resolve(docsDir)).split(sep).join('/') || '.';
  const { nav, ...names } = update;
  const after = before === null ? defaultMkdocsConfig(docsRel, nav([]), names) : editMkdocsConfig(before, update, configPath);
  if (after === before) return false;
  try {
    writeFileSync(configPath, after);
  } catch (err) {
    throw new UserError(`${configPath}: cannot write (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return true;
}
