#!/usr/bin/env node
// The CLI as bin/flowscribe runs it (run by `npm run build` after tsc; docs/guide/speed.md,
// "Session 8: start-up"):
// - dist/bundle/cli.cjs: dist/cli/main.js and every dist/ module it imports, bundled by esbuild into
//   one script. Node resolves, reads and compiles each ES module file on its own (a render loaded
//   ~80 files of dist/, a recorder ~40). Each command's modules still run only when it is named
//   (esbuild keeps a lazy `import()` as a deferred module initialiser). Packages stay outside, in
//   node_modules as installed; dist/ stays as tsc wrote it (the tests and the package's API use it).
// - dist/bundle/cli.cjs.cache: V8's code cache of that script, made by bin/flowscribe itself
//   (FLOWSCRIBE_CODE_CACHE_OUT) in a render, in recordings and in `--version`/`--help`, so the
//   functions a start runs are not compiled again. The cache holds a copy of the script it was
//   made from: bin uses it only for that very script (and V8 refuses one made by another V8 or
//   with other V8 flags).
// A bundled module's `import.meta.url` is its dist/ file's URL, as without the bundle: the modules
// find the files shipped beside them (templates/, schema/, package.json) by paths relative to it.
import { build, transform } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'flowscribe');
/** What the training runs render: the shipped example. */
const EXAMPLE = join(ROOT, 'test/fixtures/captures/openstack-image-create-reference.jsonl');

/** The bundle's build options: `outdir` (dist/bundle by default) is where cli.cjs goes. */
export function bundleOptions(outdir = join(ROOT, 'dist', 'bundle')) {
  return {
    absWorkingDir: ROOT,
    entryPoints: { cli: 'dist/cli/main.js' },
    outdir,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    // Never made a `require` (yargs is an ES module only): an `import()` left in the bundle is a
    // build error instead (see dynamicImports and dist/packages.js).
    supported: { 'dynamic-import': true },
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
    // Any other use of import.meta would be an empty object in the bundle: no build then.
    logOverride: { 'empty-import-meta': 'error' },
    plugins: [packagesOutside(), moduleUrls(outdir)],
  };
}

/** Packages taken into the bundle: CommonJS ones a start loads file by file, ~20 for handlebars' runtime. */
const BUNDLED_PACKAGES = ['handlebars/runtime.js'];

/** Every other package stays in node_modules, loaded by Node from there as installed. */
function packagesOutside() {
  return {
    name: 'packages-outside',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, ({ path }) => (BUNDLED_PACKAGES.includes(path) ? undefined : { path, external: true }));
    },
  };
}

/**
 * Each dist/ module's `import.meta.url` → its own file's URL (relative to the bundle's directory);
 * dist/packages.js → that module itself, loaded by bin on the first call (see there).
 */
function moduleUrls(outdir) {
  const packages = join(ROOT, 'dist', 'packages.js');
  return {
    name: 'module-urls',
    setup(b) {
      b.onLoad({ filter: /\.js$/ }, async ({ path }) => {
        if (path === packages) {
          const contents = [
            'export const importPackage = (name) => __packages().then((p) => p.importPackage(name));',
            'export const resolvePackage = (name) => __packages().then((p) => p.resolvePackage(name));',
          ].join('\n');
          return { contents, loader: 'js' };
        }
        const source = await readFile(path, 'utf8');
        if (!source.includes('import.meta')) return { contents: source, loader: 'js' };
        const url = relative(outdir, path).split(sep).join('/');
        // A define (not a text replace) leaves strings and comments that mention import.meta alone.
        const { code } = await transform(source, { define: { 'import.meta.url': '__moduleUrl' }, format: 'esm', loader: 'js', sourcefile: path });
        const head = `const __moduleUrl = require('node:url').pathToFileURL(require('node:path').join(__dirname, ${JSON.stringify(url)})).href;\n`;
        return { contents: head + code, loader: 'js', resolveDir: dirname(path) };
      });
    },
  };
}

/**
 * The code cache, one part per kind of start (bin picks the part by the command: a part holds only
 * what its runs compiled, and V8 reads all of a part): each made by bin running that kind's runs,
 * each run starting from the part the one before made. A failed run leaves no cache: slower, not wrong.
 */
function train(bundle) {
  const work = mkdtempSync(join(tmpdir(), 'flowscribe-code-cache-'));
  const part = join(work, 'part');
  const env = { ...process.env, FLOWSCRIBE_CODE_CACHE_OUT: part };
  delete env.NODE_OPTIONS; // the cache must be made as bin runs: without extra Node or V8 options
  const record = ['record', '--ca-dir', join(work, 'ca'), '-o', join(work, 'true.jsonl'), '--', process.execPath, '-e', '0'];
  const kinds = {
    render: [['render', EXAMPLE, '--out', join(work, 'page.md')]],
    record: [record, record], // the first creates the CA, the second starts as most do: with one
    other: [['--version'], ['--help']],
  };
  const source = readFileSync(bundle);
  const parts = {};
  try {
    for (const [kind, runs] of Object.entries(kinds)) {
      for (const args of runs) {
        const r = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`flowscribe ${args[0]} exited ${r.status}: ${r.stderr}`);
        parts[kind] = readFileSync(part);
        writeFileSync(`${bundle}.cache`, cacheFile(source, parts));
      }
    }
  } catch (err) {
    rmSync(`${bundle}.cache`, { force: true });
    process.stderr.write(`bundle: no code cache (${err.message})\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** What bin reads (`compile` there): the script's length and bytes, then each part's name, length and bytes. */
function cacheFile(source, parts) {
  const u32 = (n) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    return b;
  };
  const entries = Object.entries(parts).flatMap(([name, data]) => [Buffer.from([name.length]), Buffer.from(name, 'latin1'), u32(data.length), data]);
  return Buffer.concat([u32(source.length), source, ...entries]);
}

/**
 * The `import()`s left in the bundle: the script bin compiles has no way to run one on Node 20
 * (it would fail only when reached); dist/packages.js is the one way to import a package.
 */
export function dynamicImports(metafile) {
  return Object.values(metafile.outputs).flatMap((output) => output.imports.filter((i) => i.kind === 'dynamic-import').map((i) => i.path));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const options = bundleOptions();
  rmSync(options.outdir, { recursive: true, force: true }); // nothing of an earlier build left behind
  const { metafile } = await build(options);
  const left = dynamicImports(metafile);
  if (left.length > 0) {
    rmSync(options.outdir, { recursive: true, force: true });
    throw new Error(`bundle: import() of ${left.join(', ')} in dist/: import packages through dist/packages.js`);
  }
  train(join(options.outdir, 'cli.cjs'));
}
