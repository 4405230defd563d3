/**
 * `flowscribe site [captures...]`: render captures into the docs dir, write the index, keep the
 * mkdocs nav in step, copy the offline mermaid scripts; `--build` then runs mkdocs.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv } from 'yargs';
import type { CommandSpec } from './command.js';
import { UserError } from '../errors.js';
import { buildSite } from '../publish/site.js';
import { imageFormats, imageOptions, rendererOpener, type ImageArgs } from './image-flags.js';
import { checkDocsDir, writeMkdocsConfig } from '../publish/mkdocs-file.js';
import { runMkdocsBuild } from './mkdocs.js';
import { pageOptions, pageOptionsBuilder, type PageArgs } from './render.js';
import { recordDefaults } from '../defaults.js';
import { withSmallYoungGeneration } from './young-generation.js';

interface SiteArgs extends PageArgs, ImageArgs {
  captures: string[] | undefined;
  docs: string;
  'mkdocs-config': string;
  build: boolean;
}


/** `captures/*.jsonl`, sorted, when no capture is named. */
function defaultCaptures(): string[] {
  const files = existsSync(recordDefaults.capturesDir) ? readdirSync(recordDefaults.capturesDir).filter((f) => f.endsWith('.jsonl')) : [];
  if (files.length === 0) {
    throw new UserError(`site: no captures named and none in ${recordDefaults.capturesDir}/`, 2, 'flowscribe record -- <command>, or name capture files');
  }
  return files.sort().map((f) => join(recordDefaults.capturesDir, f));
}

function builder(y: Argv): Argv<SiteArgs> {
  const own = y
    .positional('captures', { type: 'string', array: true, describe: 'capture files (default: captures/*.jsonl)' })
    .option('docs', { type: 'string', default: 'docs', describe: 'docs directory to write the pages into' })
    .option('mkdocs-config', { type: 'string', default: 'mkdocs.yml', describe: 'mkdocs config to create or update (its nav)' })
    .option('build', { type: 'boolean', default: false, describe: 'then run mkdocs build --strict' });
  return imageOptions(pageOptionsBuilder(own)) as unknown as Argv<SiteArgs>;
}

async function run(args: SiteArgs): Promise<number> {
  checkDocsDir(args['mkdocs-config'], args.docs);
  const formats = imageFormats(args);
  const build = () =>
    buildSite({
      captures: args.captures?.length ? args.captures : defaultCaptures(),
      docsDir: args.docs,
      imageFormats: formats,
      openRenderer: rendererOpener(args),
      page: pageOptions(args),
    });
  // Not while a browser starts for the images: its modules would load without their code cache.
  const result = await (formats.length > 0 ? build() : withSmallYoungGeneration(build));
  writeMkdocsConfig(args['mkdocs-config'], args.docs, { nav: result.nav });
  for (const w of result.warnings) process.stderr.write(`flowscribe: warning: ${w}\n`);
  process.stdout.write(`site: ${result.pages.length} page(s) and the index in ${args.docs}/, nav in ${args['mkdocs-config']}\n`);
  if (!args.build) return 0;
  await runMkdocsBuild(args['mkdocs-config']);
  process.stdout.write('site: mkdocs build --strict passed\n');
  return 0;
}

export const siteCommand: CommandSpec<SiteArgs> = { builder, run };
