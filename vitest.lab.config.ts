import { defineConfig } from 'vitest/config';

// `npm run test:lab`: the real-OpenStack end-to-end test (installs and starts the lab; minutes).
export default defineConfig({
  test: {
    include: ['test/lab/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 25 * 60_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
