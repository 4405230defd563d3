import { defineConfig } from 'vitest/config';

/** `npm run test:load`: the long load runs (minutes), kept out of `npm test`. */
export default defineConfig({
  test: {
    include: ['test/load/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
