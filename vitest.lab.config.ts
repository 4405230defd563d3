import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Lab tests in file-name order: image create (base lab) first, then the compute lab's server create. */
class ByName extends BaseSequencer {
  override sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return Promise.resolve([...files].sort((a, b) => a.moduleId.localeCompare(b.moduleId)));
  }
}

// `npm run test:lab`: the real-OpenStack end-to-end tests (install and start the lab; minutes).
export default defineConfig({
  test: {
    include: ['test/lab/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 50 * 60_000,
    pool: 'forks',
    fileParallelism: false,
    sequence: { sequencer: ByName },
  },
});
