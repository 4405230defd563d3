/**
 * A playbook: the commands of a docs site, each recorded into one page of a tree
 * (`tree: openstack/sequence`, `page: image/create` → `docs/openstack/sequence/image/create.md`).
 * Parsed from YAML with every error at `file:line:column`. Strings keep their `${name}` references
 * (expanded when the step runs, see playbook-template.ts); secrets may only come in as references.
 *
 *     tree: openstack/sequence
 *     listeners: { glance-api: 3129 }
 *     env: { OS_PASSWORD: ${LAB_ADMIN_PASSWORD} }
 *     steps:
 *       - name: image-create
 *         page: image/create
 *         run: openstack image create -f json --file cirros.qcow2 cirros
 *         save: { image_id: { json: id } }
 */
import { isMap, isScalar, isSeq, YamlSource, type Node } from './playbook-yaml.js';
import { isOnlyReferences, referencedNames } from './playbook-template.js';
import { isSecretVariable } from './redact-policy.js';

/** A command as written: an argv list, a string split into words without a shell, or a shell script. */
export type PlaybookCommand =
  | { kind: 'argv'; argv: string[] }
  | { kind: 'words'; text: string }
  | { kind: 'shell'; script: string };

/** Where a saved value comes from in the command's stdout. */
export type SaveSource =
  /** A path into stdout parsed as JSON (`id`, `0.ID`, `properties.os_hash`). */
  | { kind: 'json'; path: Array<string | number> }
  /** A regex on stdout's text; the value is the capture group (default 1). */
  | { kind: 'regex'; pattern: RegExp; group: number };

export interface SaveRule {
  /** Variable name later steps use as `${name}`. */
  name: string;
  source: SaveSource;
  /** `file:line:column` of the rule. */
  where: string;
}

/** When a step runs: a command that succeeds (exit 0), or a variable that is set and not empty. */
export type Condition = { kind: 'command'; command: PlaybookCommand } | { kind: 'env'; name: string };

export interface PlaybookStep {
  name: string;
  /** Path of the page inside the tree, without `.md` (`image/create`). */
  page: string;
  /** Page title; null: the command's words. */
  title: string | null;
  /** Markdown shown under the title. */
  description: string | null;
  run: PlaybookCommand;
  save: SaveRule[];
  /** Run, not recorded, before `before` (e.g. removing a leftover). */
  setup: PlaybookCommand[];
  /** Run, not recorded, after the recording, also when it failed. */
  teardown: PlaybookCommand[];
  /** Run just before the recorder starts (e.g. the lab's cold-glance restart). */
  before: PlaybookCommand[];
  /** Exit codes that count as success (default [0]). */
  expect: number[];
  skipIf: Condition | null;
  only: Condition | null;
  /** Extra environment for this step's commands (templates). */
  env: Record<string, string>;
  /** `file:line:column` of the step. */
  where: string;
}

export interface Playbook {
  file: string;
  /** Tree root inside the captures and docs dirs (`openstack/sequence`). */
  tree: string;
  /** The site's name (mkdocs `site_name`); null: leave the config's. */
  siteName: string | null;
  /** Recorder listeners for the whole run; ports may be references (`${LAB_RECORDER_PORT}`). */
  listeners: Array<{ label: string; port: string; where: string }>;
  env: Record<string, string>;
  /** Working directory of the commands (template, relative to the playbook's directory). */
  cwd: string | null;
  /** Titles and descriptions of the tree's folders (`image: {title: Image, description: …}`). */
  folders: Record<string, { title: string; description: string | null }>;
  steps: PlaybookStep[];
}

const TOP_KEYS = ['tree', 'site_name', 'listeners', 'env', 'cwd', 'folders', 'steps'] as const;
const STEP_KEYS = ['name', 'page', 'title', 'description', 'run', 'shell', 'save', 'setup', 'teardown', 'before', 'expect', 'skip_if', 'only', 'env'] as const;
const PATH_WORDS = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LABEL = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

type Entries = Map<string, { key: Node; value: Node | null }>;

function optionalString(y: YamlSource, m: Entries, key: string, what: string): string | null {
  const e = m.get(key);
  return e ? y.string(e.value, `${what}.${key}`) : null;
}

function checkReferences(y: YamlSource, node: Node | null, text: string): void {
  try {
    referencedNames(text);
  } catch (err) {
    throw y.error(node, (err as Error).message);
  }
}

/** One command: a string, or an argv list of strings. */
function command(y: YamlSource, node: Node | null, what: string, shell: boolean): PlaybookCommand {
  if (isSeq(node)) {
    if (shell) throw y.error(node, `${what}: shell: true takes the command as one string`);
    const argv = y.sequence(node, what).map((item, i) => y.string(item, `${what}[${i}]`));
    if (argv.length === 0) throw y.error(node, `${what}: the argv list is empty`);
    y.sequence(node, what).forEach((item, i) => checkReferences(y, item, argv[i] ?? ''));
    return { kind: 'argv', argv };
  }
  const text = y.string(node, what).trim();
  if (text === '') throw y.error(node, `${what}: the command is empty`);
  checkReferences(y, node, text);
  return shell ? { kind: 'shell', script: text } : { kind: 'words', text };
}

/** `setup`/`teardown`/`before`: one command (string or argv list), or a list of argv lists. */
function commands(y: YamlSource, node: Node | null, what: string): PlaybookCommand[] {
  if (isSeq(node) && node.items.length > 0 && node.items.every((i) => isSeq(i))) {
    return (node.items as Node[]).map((item, i) => command(y, item, `${what}[${i}]`, false));
  }
  return [command(y, node, what, false)];
}

function saveSource(y: YamlSource, node: Node | null, what: string): SaveSource {
  const m = y.mapping(node, what, ['json', 'regex', 'group']);
  const json = m.get('json');
  const regex = m.get('regex');
  if ((json === undefined) === (regex === undefined)) throw y.error(node, `${what}: give exactly one of json: PATH or regex: PATTERN`);
  if (json) {
    if (m.has('group')) throw y.error(m.get('group')?.key, `${what}: group goes with regex`);
    return { kind: 'json', path: jsonPath(y, json.value, `${what}.json`) };
  }
  const source = y.string(regex?.value, `${what}.regex`);
  let pattern: RegExp;
  try {
    pattern = new RegExp(source, 'm');
  } catch (err) {
    throw y.error(regex?.value, `${what}.regex: ${(err as Error).message}`);
  }
  const groupNode = m.get('group')?.value;
  const group = groupNode === undefined ? 1 : y.integer(groupNode ?? null, `${what}.group`);
  return { kind: 'regex', pattern, group };
}

/** `id`, `0.ID`, `[0].ID`, `properties.os_hash` → path parts (numbers index lists). */
function jsonPath(y: YamlSource, node: Node | null, what: string): Array<string | number> {
  const text = y.string(node, what);
  const parts = text.replace(/\[(\d+)\]/g, '.$1').split('.').filter((p, i) => p !== '' || i > 0);
  if (parts.length === 0 || parts.some((p) => p === '')) throw y.error(node, `${what}: "${text}" is not a path (keys and list indexes joined by dots: id, 0.ID)`);
  return parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function saveRules(y: YamlSource, node: Node | null, what: string): SaveRule[] {
  return [...y.mapping(node, what, null)].map(([name, e]) => {
    if (!VAR_NAME.test(name)) throw y.error(e.key, `${what}: "${name}" is not a variable name (letters, digits, _)`);
    return { name, source: saveSource(y, e.value, `${what}.${name}`), where: y.where(e.key) };
  });
}

function condition(y: YamlSource, node: Node | null, what: string): Condition {
  if (isMap(node)) {
    const m = y.mapping(node, what, ['env']);
    const name = y.string(m.get('env')?.value, `${what}.env`);
    if (!VAR_NAME.test(name)) throw y.error(m.get('env')?.value, `${what}.env: "${name}" is not a variable name`);
    return { kind: 'env', name };
  }
  return { kind: 'command', command: command(y, node, what, false) };
}

function expectCodes(y: YamlSource, node: Node | null | undefined, what: string): number[] {
  if (node === undefined) return [0];
  const items = isSeq(node) ? (node.items as Node[]) : [node];
  const codes = items.map((item) => y.integer(item, what));
  if (codes.length === 0 || codes.some((c) => c < 0 || c > 255)) throw y.error(node, `${what}: exit codes are 0-255`);
  return codes;
}

/** `env`: values are templates; a secret-named variable must be a reference, never a literal. */
function environment(y: YamlSource, node: Node | null | undefined, what: string): Record<string, string> {
  if (node === undefined) return {};
  const out: Record<string, string> = {};
  for (const [name, e] of y.mapping(node, what, null)) {
    if (!VAR_NAME.test(name)) throw y.error(e.key, `${what}: "${name}" is not a variable name`);
    const value = y.string(e.value, `${what}.${name}`);
    checkReferences(y, e.value, value);
    if (isSecretVariable(name) && !isOnlyReferences(value)) {
      throw y.error(e.value, `${what}.${name}: a secret is not written in a playbook; reference it from the environment (\${${name}})`);
    }
    out[name] = value;
  }
  return out;
}

function pagePath(y: YamlSource, node: Node | null | undefined, what: string): string {
  const page = y.string(node, what).replace(/\.md$/, '');
  if (!PATH_WORDS.test(page) || page.split('/').includes('..') || page.endsWith('/index') || page === 'index') {
    throw y.error(node, `${what}: "${page}" is not a page path (words joined by /, e.g. image/create; not index)`);
  }
  return page;
}

function step(y: YamlSource, node: Node, i: number): PlaybookStep {
  const what = `steps[${i}]`;
  const m = y.mapping(node, what, STEP_KEYS);
  if (!m.has('page')) throw y.error(node, `${what}: page is required (e.g. page: image/create)`);
  if (!m.has('run')) throw y.error(node, `${what}: run is required (the command to record)`);
  const page = pagePath(y, m.get('page')?.value, `${what}.page`);
  const shellNode = m.get('shell')?.value;
  const shell = shellNode === undefined ? false : y.boolean(shellNode ?? null, `${what}.shell`);
  const list = (key: string) => (m.has(key) ? commands(y, m.get(key)?.value ?? null, `${what}.${key}`) : []);
  const cond = (key: string) => (m.has(key) ? condition(y, m.get(key)?.value ?? null, `${what}.${key}`) : null);
  return {
    name: optionalString(y, m, 'name', what) ?? page,
    page,
    title: optionalString(y, m, 'title', what),
    description: optionalString(y, m, 'description', what)?.trim() ?? null,
    run: command(y, m.get('run')?.value ?? null, `${what}.run`, shell),
    save: m.has('save') ? saveRules(y, m.get('save')?.value ?? null, `${what}.save`) : [],
    setup: list('setup'),
    teardown: list('teardown'),
    before: list('before'),
    expect: expectCodes(y, m.get('expect')?.value, `${what}.expect`),
    skipIf: cond('skip_if'),
    only: cond('only'),
    env: environment(y, m.get('env')?.value, `${what}.env`),
    where: y.where(node),
  };
}

function listeners(y: YamlSource, node: Node | null | undefined): Playbook['listeners'] {
  if (node === undefined) return [];
  return [...y.mapping(node, 'listeners', null)].map(([label, e]) => {
    if (!LABEL.test(label) || label === 'default') throw y.error(e.key, `listeners: "${label}" is not a listener name (letters, digits, . _ -; not default)`);
    const port = y.string(e.value, `listeners.${label}`);
    checkReferences(y, e.value, port);
    return { label, port, where: y.where(e.value) };
  });
}

function folders(y: YamlSource, node: Node | null | undefined): Playbook['folders'] {
  if (node === undefined) return {};
  const out: Playbook['folders'] = {};
  for (const [name, e] of y.mapping(node, 'folders', null)) {
    if (isScalar(e.value)) {
      out[name] = { title: y.string(e.value, `folders.${name}`), description: null };
      continue;
    }
    const f = y.mapping(e.value, `folders.${name}`, ['title', 'description']);
    out[name] = { title: optionalString(y, f, 'title', `folders.${name}`) ?? name, description: optionalString(y, f, 'description', `folders.${name}`) };
  }
  return out;
}

function checkUnique(y: YamlSource, stepNodes: Node[], steps: PlaybookStep[]): void {
  const names = new Map<string, number>();
  const pages = new Map<string, number>();
  steps.forEach((s, i) => {
    const sameName = names.get(s.name);
    if (sameName !== undefined) throw y.error(stepNodes[i], `steps[${i}]: name "${s.name}" is also the name of steps[${sameName}]`);
    const samePage = pages.get(s.page);
    if (samePage !== undefined) throw y.error(stepNodes[i], `steps[${i}]: page "${s.page}" is also the page of steps[${samePage}]`);
    names.set(s.name, i);
    pages.set(s.page, i);
  });
}

/** Parses a playbook's text; `file` names it in errors. */
export function parsePlaybook(text: string, file: string): Playbook {
  const y = new YamlSource(file, text);
  if (y.root === null) throw y.error(null, 'the playbook is empty (it needs steps:)');
  const m = y.mapping(y.root, 'the playbook', TOP_KEYS);
  const stepsEntry = m.get('steps');
  if (!stepsEntry) throw y.error(y.root, 'the playbook has no steps: (a list of commands to record)');
  const stepNodes = y.sequence(stepsEntry.value, 'steps');
  if (stepNodes.length === 0) throw y.error(stepsEntry.key, 'steps: the list is empty');
  const steps = stepNodes.map((node, i) => step(y, node, i));
  checkUnique(y, stepNodes, steps);
  const tree = m.has('tree') ? pagePath(y, m.get('tree')?.value, 'tree') : 'playbook';
  return {
    file,
    tree,
    siteName: optionalString(y, m, 'site_name', 'the playbook'),
    listeners: listeners(y, m.get('listeners')?.value),
    env: environment(y, m.get('env')?.value, 'env'),
    cwd: optionalString(y, m, 'cwd', 'the playbook'),
    folders: folders(y, m.get('folders')?.value),
    steps,
  };
}
