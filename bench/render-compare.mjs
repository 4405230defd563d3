#!/usr/bin/env node
/**
 * Equivalence check of `flowscribe render` between this checkout and another (built) one:
 * `node bench/render-compare.mjs OTHER_CHECKOUT [--quick] [CAPTURE...]`. Renders the same inputs with both
 * launchers and compares exit codes, stdout, stderr (output directory names aside) and every file
 * written (page, log) byte for byte. Inputs: the synthetic 10,000-exchange capture, the reference
 * capture repeated to 10,000 exchanges and any CAPTURE given, each with every flag set below; and bad or unusual inputs
 * made from them (cut or broken lines, schema violations, CRLF, non-ASCII text, a line longer
 * than a read). Prints one line per case and exits 1 on any difference. Not timed: use it after
 * a speed change to show the output did not move.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repeatedCapture } from './repeated-capture.mjs';

const here = fileURLToPath(new URL('..', import.meta.url));
const [other, ...rest] = process.argv.slice(2);
if (!other) {
  console.error('usage: node bench/render-compare.mjs OTHER_CHECKOUT [--quick] [CAPTURE...]');
  process.exit(2);
}
const quick = rest.includes('--quick');
const given = rest.filter((a) => a !== '--quick');
const work = mkdtempSync(join(tmpdir(), 'render-compare-'));

/** The synthetic capture of bench/render.mjs, written by it. */
function synthetic(n) {
  const path = join(work, `synthetic-${n}.jsonl`);
  execFileSync(process.execPath, [join(here, 'bench/render.mjs'), '--write', String(n), path]);
  return readFileSync(path, 'utf8');
}

/** `text` with its 0-based line `i` replaced by `f(line)`. */
function editLine(text, i, f) {
  const lines = text.split('\n');
  lines[i] = f(lines[i]);
  return lines.join('\n');
}

/** `text` with several 0-based lines replaced: `edits` maps a line to its new text. */
function editLines(text, edits) {
  const lines = text.split('\n');
  for (const [i, f] of Object.entries(edits)) lines[i] = f(lines[i]);
  return lines.join('\n');
}

/** Inputs with errors the schema finds, before or after errors found without it, and at the ends. */
function severalErrors(syn, lines, mid) {
  const late = mid + 1000;
  const last = lines.length - 2; // the trailer (the text ends with LF)
  const violate = (l) => l.replace('"state":"completed"', '"state":"done"');
  const cutJson = (l) => l.slice(0, 300);
  const secondHeader = () => lines[0];
  return {
    'schema error, later bad JSON': editLines(syn, { [mid]: violate, [late]: cutJson }),
    'bad JSON, later schema error': editLines(syn, { [mid]: cutJson, [late]: violate }),
    'schema error, later 2nd header': editLines(syn, { [mid]: violate, [late]: secondHeader }),
    '2nd header, later schema error': editLines(syn, { [mid]: secondHeader, [late]: violate }),
    'schema error, later dup seq': editLines(syn, { [mid]: violate, [late]: () => lines[late + 1] }),
    'dup seq, later schema error': editLines(syn, { [mid]: () => lines[mid + 1], [late]: violate }),
    'schema error, record after trailer': `${editLines(syn, { [mid]: violate })}${lines[late]}\n`,
    'schema error after trailer': `${syn}${violate(lines[late])}\n`,
    'schema error, cut last line': editLines(syn, { [mid]: violate }).slice(0, -700),
    'schema error on last line': editLines(syn, { [last]: (l) => l.replace('"exchangeCount":', '"exchangeCount":-') }),
    'schema error on cut-off last line': editLines(syn, { [last]: (l) => l.replace('"exchangeCount":', '"exchangeCount":-') }).trimEnd(),
    'schema error on line 2, cut last line': editLines(syn, { 1: violate }).slice(0, -700),
    'header schema error': editLines(syn, { 0: (l) => l.replace('"cwd":"/"', '"cwd":3') }),
    'header schema error, bad JSON later': editLines(syn, { 0: (l) => l.replace('"cwd":"/"', '"cwd":3'), [mid]: cutJson }),
    'source null': editLines(syn, { [mid]: (l) => l.replace(/"source":\{[^}]*\}/, '"source":null') }),
    'bare exchanges, twice': editLines(syn, { [mid]: () => '{"type":"exchange"}', [late]: () => '{"type":"exchange"}' }),
    'null, then a string': editLines(syn, { [mid]: () => 'null', [late]: () => '"x"' }),
    'version error after schema error': editLines(syn, { [mid]: violate, [late]: () => lines[0].replace('"formatVersion":1', '"formatVersion":2') }),
    'last exchange breaks schema, no trailer': editLines(lines.slice(0, -2).join('\n') + '\n', { [last - 1]: violate }),
  };
}

function inputs() {
  const syn = synthetic(quick ? 1000 : 10000);
  const ref = repeatedCapture(quick ? 40 : 400).text;
  const lines = syn.split('\n');
  const mid = Math.floor(lines.length / 2);
  const midGet = lines.findIndex((l, i) => i >= mid && l.includes('description')); // a client GET: its body has "x…"
  const midListener = lines.findIndex((l, i) => i >= mid && l.includes('"kind":"listener"'));
  const cases = {
    synthetic: syn,
    reference: ref,
    'cut last line': syn.slice(0, -700),
    'cut last line, then LF': `${syn.slice(0, -700)}\n`,
    'bad JSON mid-file': editLine(syn, mid, (l) => l.slice(0, 300)),
    'bad JSON mid-file, no final LF': editLine(syn, mid, (l) => l.slice(0, 300)).trimEnd(),
    'schema violation mid-file': editLine(syn, mid, (l) => l.replace('"statusCode":200', '"statusCode":"200"')),
    'schema violation, source': editLine(syn, midListener, (l) => l.replace('"kind":"listener"', '"kind":"listener","pid":1')),
    'wrong version': editLine(syn, 0, (l) => l.replace('"formatVersion":1', '"formatVersion":2')),
    'not a record': editLine(syn, mid, () => '[1,2]'),
    'two values on a line': editLine(syn, mid, (l) => `${l},${l}`),
    'second header': editLine(syn, mid, () => lines[0]),
    'record after trailer': `${syn}${lines[mid]}\n`,
    'duplicate seq': editLine(syn, mid, () => lines[mid + 1]),
    'no trailer': lines.slice(0, -2).join('\n') + '\n',
    empty: '',
    'blank lines only': '\n \n\t\n',
    crlf: syn.replaceAll('\n', '\r\n'),
    'lone CR and blank lines': editLine(syn, mid, (l) => `\r${l}\r\n   \n`),
    'non-ASCII text': syn.replaceAll('cirros-', 'cirrøs-€😀-'),
    'non-ASCII, one line': editLine(syn, mid, (l) => l.replace('cirros-', 'cirrøs-')),
    'a line longer than a read': editLine(syn, midGet, (l) => l.replace('"x', `"${'y'.repeat(3 << 20)}x`)),
    'NUL and escapes': editLine(syn, midGet, (l) => l.replace('"x', '"\\u0000\\u0001\\n\\"\\\\x')),
    // Which error wins when a file has several: the first line's, as reading serially says (a
    // worker thread checks the schema while the reading thread parses: issue 13).
    ...severalErrors(syn, lines, mid),
  };
  const paths = {};
  for (const [name, text] of Object.entries(cases)) {
    paths[name] = join(work, `${name.replace(/\W+/g, '-')}.jsonl`);
    writeFileSync(paths[name], text);
  }
  paths['a directory'] = mkdtempSync(join(work, 'dir-'));
  paths['a missing file'] = join(work, 'missing.jsonl');
  for (const path of given) paths[path] = path;
  return paths;
}

/** Every file under `dir`, by relative path, with its bytes. */
function files(dir) {
  const out = {};
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p);
    }
  };
  walk(dir);
  return out;
}

function run(checkout, capture, flags, tag) {
  const outDir = join(work, 'out', tag);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const r = spawnSync(join(checkout, 'bin/flowscribe'), ['render', capture, '-o', join(outDir, 'page.md'), ...flags], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const clean = (s) => s.replaceAll(outDir, 'OUT');
  return { status: r.status, stdout: clean(r.stdout), stderr: clean(r.stderr), files: files(outDir) };
}

function differences(a, b) {
  const diffs = [];
  for (const k of ['status', 'stdout', 'stderr']) if (a[k] !== b[k]) diffs.push(`${k}: ${JSON.stringify(a[k]).slice(0, 200)} vs ${JSON.stringify(b[k]).slice(0, 200)}`);
  const names = new Set([...Object.keys(a.files), ...Object.keys(b.files)]);
  for (const n of names) if (!a.files[n] || !b.files[n] || !a.files[n].equals(b.files[n])) diffs.push(`file ${n} differs`);
  return diffs;
}

const FLAG_SETS = [[], ['--secrets', 'label'], ['--secrets', 'raw'], ['--timings'], ['--tokens'], ['--nest'], ['--lang', 'ko'],
  ['--profile', 'http'], ['--exclude', 'method=GET,path=/identity/**'], ['--launch-json', '--timings', '--tokens', '--nest', '--secrets', 'label']];
/** Every flag set for the well-formed captures; the bad or unusual inputs are rendered once, plainly. */
const fullSets = (name) => name === 'synthetic' || name === 'reference' || given.includes(name);
const paths = inputs();
let failed = 0;
try {
  for (const [name, path] of Object.entries(paths)) {
    const sets = fullSets(name) ? FLAG_SETS : [[]];
    for (const flags of sets) {
      const mine = run(here, path, flags, 'mine');
      const theirs = run(other, path, flags, 'other');
      const diffs = differences(mine, theirs);
      const what = `${name}${flags.length ? ` ${flags.join(' ')}` : ''}`;
      const summary = `exit ${mine.status}, ${Object.keys(mine.files).length} files, stderr ${JSON.stringify(mine.stderr.split('\n')[0].slice(0, 110))}`;
      console.log(`${diffs.length ? 'DIFFERENT' : 'same     '} ${what.padEnd(34)} ${summary}`);
      for (const d of diffs) console.log(`    ${d}`);
      if (diffs.length) failed += 1;
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(failed ? `${failed} case(s) differ` : 'all cases identical');
process.exit(failed ? 1 : 0);
