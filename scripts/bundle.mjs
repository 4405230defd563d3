#!/usr/bin/env node
// The CLI as bin/flowscribe runs it: dist/cli/main.js and the dist/ modules it imports, bundled by
// esbuild into dist/bundle/ (run by `npm run build` after tsc; docs/guide/speed.md, "Session 8").
// Node resolves, reads and compiles every ES module file on its own: a render loaded ~80 files of
// dist/, a recorder ~40, about a fifth of their start. The bundle keeps each command's lazy
// `import()` as a chunk of its own (esbuild's code splitting), so a command still loads only what
// it needs, in a dozen files. Packages stay outside (node_modules, as installed), and dist/ stays as
// tsc wrote it: the tests and the package's API import its modules.
//
// A bundled module's `import.meta.url` is its dist/ file's URL, as without the bundle: the modules
// find the files shipped beside them (templates/, schema/, package.json) by paths relative to it.
import { build, transform } from 'esbuild';
import { rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The bundle's build options: `outdir` (dist/bundle by default) is where its files go. */
export function bundleOptions(outdir = `${ROOT}dist/bundle`) {
  return {
    absWorkingDir: ROOT,
    entryPoints: { main: 'dist/cli/main.js' },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    // Stable names (no content hash): the same sources give the same files.
    chunkNames: '[name]-[hash]',
    entryNames: '[name]',
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [moduleUrls(outdir)],
  };
}

/** Each dist/ module's `import.meta.url` → its own file's URL, relative to the chunk it lands in. */
function moduleUrls(outdir) {
  return {
    name: 'module-urls',
    setup(b) {
      b.onLoad({ filter: /\.js$/ }, async ({ path }) => {
        const source = await readFile(path, 'utf8');
        if (!source.includes('import.meta')) return { contents: source, loader: 'js' };
        // Every chunk is written to `outdir` itself, so one relative path serves wherever it lands.
        const url = relative(outdir, path).split(sep).join('/');
        const name = '__moduleUrl';
        // A define (not a text replace) leaves strings and comments that mention import.meta alone.
        const { code } = await transform(source, { define: { 'import.meta.url': name }, format: 'esm', loader: 'js', sourcefile: path });
        return { contents: `const ${name} = new URL(${JSON.stringify(url)}, import.meta.url).href;\n${code}`, loader: 'js', resolveDir: dirname(path) };
      });
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const options = bundleOptions(process.argv[2]);
  rmSync(options.outdir, { recursive: true, force: true }); // no chunk of an earlier build left behind
  await build(options);
}
