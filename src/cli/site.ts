import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandModule } from 'yargs';
import { UserError } from '../errors.js';
import { buildSite } from '../render/site.js';
import { DEBIAN_CHROMIUM, openDiagramRenderer, type ImageFormat } from '../render/svg.js';
import { runMkdocsBuild } from './mkdocs.js';

interface SiteArgs {
  captures: string[] | undefined;
  docs: string;
  'mkdocs-config': string;
  build: boolean;
  svg: boolean;
  png: boolean;
  chromium: string;
  lang: 'en' | 'ko';
  secrets: 'mask' | 'label' | 'raw';
}

const DEFAULT_CAPTURES_DIR = 'captures';

/** `captures/*.jsonl`, sorted, when no capture is named. */
function defaultCaptures(): string[] {
  const files = existsSync(DEFAULT_CAPTURES_DIR) ? readdirSync(DEFAULT_CAPTURES_DIR).filter((f) => f.endsWith('.jsonl')) : [];
  if (files.length === 0) {
    throw new UserError(`site: no captures named and none in ${DEFAULT_CAPTURES_DIR}/`, 2, 'flowscribe record -- <command>, or name capture files');
  }
  return files.sort().map((f) => join(DEFAULT_CAPTURES_DIR, f));
}

/** Image formats asked for with --svg / --png. */
export function imageFormats(args: { svg: boolean; png: boolean }): ImageFormat[] {
  return [...(args.svg ? (['svg'] as const) : []), ...(args.png ? (['png'] as const) : [])];
}

export const siteCommand: CommandModule<object, SiteArgs> = {
  command: 'site [captures..]',
  describe: 'render captures into an mkdocs-material docs site (default: all of captures/*.jsonl)',
  builder: (y) =>
    y
      .positional('captures', { type: 'string', array: true, describe: 'capture files (.jsonl)' })
      .option('docs', { type: 'string', default: 'docs', describe: 'docs directory to write the pages into' })
      .option('mkdocs-config', { type: 'string', default: 'mkdocs.yml', describe: 'mkdocs config to create or update (its nav)' })
      .option('build', { type: 'boolean', default: false, describe: 'then run mkdocs build --strict' })
      .option('svg', { type: 'boolean', default: false, describe: 'also render each diagram to SVG (mermaid-cli + Chromium)' })
      .option('png', { type: 'boolean', default: false, describe: 'also render each diagram to PNG (mermaid-cli + Chromium)' })
      .option('chromium', { type: 'string', default: DEBIAN_CHROMIUM, describe: 'Chromium executable for --svg/--png' })
      .option('lang', { choices: ['en', 'ko'] as const, default: 'en' as const, describe: 'language of the section labels' })
      .option('secrets', { choices: ['mask', 'label', 'raw'] as const, default: 'mask' as const, describe: 'how passwords and tokens appear' }),
  handler: async (args) => {
    const formats = imageFormats(args);
    const flag = formats.map((f) => `--${f}`).join(' ');
    const result = await buildSite({
      captures: args.captures?.length ? args.captures : defaultCaptures(),
      docsDir: args.docs,
      mkdocsConfig: args['mkdocs-config'],
      imageFormats: formats,
      openRenderer: () => openDiagramRenderer({ chromiumPath: args.chromium }, flag),
      lang: args.lang,
      secrets: args.secrets,
    });
    for (const w of result.warnings) process.stderr.write(`flowscribe: warning: ${w}\n`);
    process.stdout.write(`site: ${result.pages.length} page(s) and the index in ${args.docs}/, nav in ${args['mkdocs-config']}\n`);
    if (args.build) {
      await runMkdocsBuild(args['mkdocs-config']);
      process.stdout.write(`site: mkdocs build --strict passed\n`);
    }
  },
};
