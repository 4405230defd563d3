import { defineConfig } from 'vitest/config';

/**
 * Test tiers (vitest projects). `npm test` runs them all; `npm run test:<tier>` runs one.
 * - unit: pure model/render code and the docs; no sockets, no child processes beyond the CLI.
 * - browser: what needs Debian's mkdocs or Chromium (site builds, SVG/PNG, the browser test).
 * - load: big bodies, many clients, paced transfers (minutes); files named `*.load.test.ts`.
 * - package: `npm pack` + a global install of the tarball into a temporary prefix (minutes, npm registry).
 * - integration: everything else: real loopback servers and real clients (curl, python-requests).
 * A new test file lands in `integration` unless it matches another tier.
 */
const BROWSER = [
  'test/site/**/*.test.ts',
  'test/render/svg.test.ts',
  'test/render/mkdocs.test.ts',
  'test/cli/render-images.test.ts',
  'test/cli/site.test.ts',
  'test/**/*.browser.test.ts',
];
const LOAD = ['test/capture/load.test.ts', 'test/load/**/*.test.ts', 'test/**/*.load.test.ts'];
const UNIT = ['test/model/**/*.test.ts', 'test/render/**/*.test.ts', 'test/docs/**/*.test.ts', 'test/unit/**/*.test.ts'];
const PACKAGE = ['test/package/**/*.test.ts'];
const NEVER = ['test/lab/**', 'node_modules/**'];

export default defineConfig({
  test: {
    // Proxy tests move hundreds of MiB through real sockets on a 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'unit', include: UNIT, exclude: [...NEVER, ...BROWSER, ...LOAD] } },
      {
        extends: true,
        test: { name: 'integration', include: ['test/**/*.test.ts'], exclude: [...NEVER, ...UNIT, ...BROWSER, ...LOAD, ...PACKAGE] },
      },
      { extends: true, test: { name: 'browser', include: BROWSER, exclude: NEVER } },
      { extends: true, test: { name: 'load', include: LOAD, exclude: NEVER } },
      { extends: true, test: { name: 'package', include: PACKAGE, exclude: NEVER } },
    ],
  },
});
