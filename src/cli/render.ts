/**
 * `flowscribe render <capture.jsonl> [-o page.md]`: parse the flags, call `renderCaptureFile`,
 * report warnings and what was written on stderr; `--svg`/`--png` also render the diagrams.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { Argv } from 'yargs';
import type { CommandSpec } from './command.js';
import { UserError } from '../errors.js';
import { defaultConfig, parseConfig, type FlowscribeConfig } from '../model/config.js';
import type { SecretsMode } from '../model/redact.js';
import { FILTER_SYNOPSIS, parseFilter } from '../model/views.js';
import { PROFILE_CHOICES, profileNamed, type ProfileChoice } from '../model/profiles/choose.js';
import { LANGS, type Lang } from '../model/page-lang.js';
import { RENDER_DEFAULTS } from '../defaults.js';
import { renderCaptureFile, type RenderFileOptions } from '../publish/output.js';
import { imageLinks, writePageImages } from '../publish/page-images.js';
import { loadTemplates } from '../publish/template-files.js';
import { renderTokenText } from '../render/token-section.js';
import { imageFormats, imageOptions, rendererOpener, type ImageArgs } from './image-flags.js';
import { withSmallYoungGeneration } from './young-generation.js';

/** The flags that shape a page, shared with `flowscribe site`. */
export interface PageArgs {
  lang: Lang;
  profile: ProfileChoice;
  'launch-json': boolean;
  templates?: string;
  config?: string;
  include: string[];
  exclude: string[];
  secrets: SecretsMode;
  nest: boolean;
  timings: boolean;
  tokens: boolean;
}

export interface RenderArgs extends PageArgs, ImageArgs {
  capture: string;
  out?: string;
  'snippets-base'?: string;
}

/**
 * The page-shaping flags a command gets when they are not given: yargs declares its defaults from
 * here, and `render`'s plain form (quick-render.ts), parsed without yargs, starts from them.
 */
export const PAGE_FLAG_DEFAULTS: Readonly<Omit<PageArgs, 'templates' | 'config'>> = {
  lang: RENDER_DEFAULTS.lang,
  profile: RENDER_DEFAULTS.profile,
  'launch-json': RENDER_DEFAULTS.launchJson,
  include: [],
  exclude: [],
  secrets: RENDER_DEFAULTS.secrets,
  timings: RENDER_DEFAULTS.timings,
  tokens: RENDER_DEFAULTS.tokens,
  nest: false,
};

/** Adds the page-shaping flags (`--lang`, `--config`, `--secrets`, ...) to a command. */
export function pageOptionsBuilder<T>(y: Argv<T>): Argv<T & PageArgs> {
  const d = PAGE_FLAG_DEFAULTS;
  return y
    .option('lang', { choices: LANGS, default: d.lang, describe: 'wording of the page' })
    .option('profile', { choices: PROFILE_CHOICES, default: d.profile, describe: 'how participants, variables and the summary are named and folded' })
    .option('launch-json', { type: 'boolean', default: d['launch-json'], describe: 'add a .vscode/launch.json block' })
    .option('templates', { type: 'string', describe: 'directory whose templates override the shipped ones' })
    .option('config', { type: 'string', describe: `config file (default ./${RENDER_DEFAULTS.configFile} if present)` })
    .option('include', { type: 'string', array: true, default: [], describe: `keep only matching exchanges (${FILTER_SYNOPSIS})` })
    .option('exclude', { type: 'string', array: true, default: [], describe: 'drop matching exchanges' })
    .option('secrets', { choices: ['mask', 'label', 'raw'] as const, default: d.secrets, describe: 'how passwords and tokens appear' })
    .option('timings', { type: 'boolean', default: d.timings, describe: 'timing lines in sections, durations on arrows, a waterfall' })
    .option('tokens', { type: 'boolean', default: d.tokens, describe: 'a Tokens section on the page (render also prints it)' })
    .option('nest', { type: 'boolean', default: d.nest, describe: 'draw the calls a service made inside the request it was serving (activation bars)' }) as unknown as Argv<T & PageArgs>;
}

function builder(y: Argv): Argv<RenderArgs> {
  const withCapture = y
    .positional('capture', { type: 'string', demandOption: true, describe: 'capture file (JSON lines)' })
    .option('out', { alias: 'o', type: 'string', describe: `page to write (default ${RENDER_DEFAULTS.outDir}/<capture name>.md)` })
    .option('snippets-base', { type: 'string', describe: 'pymdownx.snippets base dir (default the page directory)' });
  return imageOptions(pageOptionsBuilder(withCapture)) as unknown as Argv<RenderArgs>;
}

export function loadConfig(path: string | undefined): FlowscribeConfig {
  const file = path ?? (existsSync(RENDER_DEFAULTS.configFile) ? RENDER_DEFAULTS.configFile : null);
  if (file === null) return defaultConfig();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError(`--config ${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`, 2);
  }
  return parseConfig(text, file);
}

/** `captures/x.jsonl` → `docs/x.md`. */
export function defaultPagePath(capturePath: string): string {
  return join(RENDER_DEFAULTS.outDir, `${basename(capturePath, extname(capturePath))}.md`);
}

/** The page-shaping flags as renderCaptureFile options. */
export function pageOptions(args: PageArgs): Omit<RenderFileOptions, 'logPath' | 'snippetsBase' | 'images'> & { lang: Lang } {
  return {
    config: loadConfig(args.config),
    secrets: args.secrets,
    include: args.include.map((spec) => parseFilter(spec, '--include')),
    exclude: args.exclude.map((spec) => parseFilter(spec, '--exclude')),
    lang: args.lang,
    profile: profileNamed(args.profile),
    launchJson: args['launch-json'],
    nest: args.nest,
    templates: loadTemplates(args.templates ?? null),
    timings: args.timings,
    tokens: args.tokens,
  };
}

/** `render DIR` would otherwise fail deep in the reader; say what it is and what to do instead. */
function checkNotDirectory(path: string): void {
  let isDirectory = false;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    return; // missing or unreadable: the reader names the reason
  }
  if (isDirectory) {
    throw new UserError(`${path}: is a directory, not a capture file (name one .jsonl in it, or run flowscribe site)`, 2);
  }
}

async function run(args: RenderArgs): Promise<number> {
  checkNotDirectory(args.capture);
  const out = args.out ?? defaultPagePath(args.capture);
  const formats = imageFormats(args);
  const result = await withSmallYoungGeneration(() =>
    renderCaptureFile(args.capture, out, {
      ...pageOptions(args),
      images: imageLinks(out, formats),
      ...(args['snippets-base'] ? { snippetsBase: args['snippets-base'] } : {}),
    }),
  );
  for (const warning of result.warnings) process.stderr.write(`flowscribe: warning: ${warning}\n`);
  process.stderr.write(`flowscribe: wrote ${result.markdownPath} and ${result.logPath}\n`);
  if (result.tokens) process.stdout.write(renderTokenText(result.tokens));
  if (formats.length === 0) return 0;
  const renderer = await rendererOpener(args)();
  try {
    const page = { path: out, markdown: readFileSync(out, 'utf8'), diagrams: result.diagrams };
    for (const file of await writePageImages(renderer, page, formats)) process.stderr.write(`flowscribe: wrote ${file}\n`);
  } finally {
    await renderer.close();
  }
  return 0;
}

export const renderCommand: CommandSpec<RenderArgs> = { builder, run };
