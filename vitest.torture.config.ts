import { defineConfig } from 'vitest/config';

// `npm run torture`: the long fuzzing / hostile-peer / crash runs under test/torture (minutes, not seconds).
export default defineConfig({
  test: {
    include: ['test/torture/**/*.test.ts'],
    testTimeout: 30 * 60_000,
    hookTimeout: 5 * 60_000,
    pool: 'forks',
    // one file at a time: these runs load the whole 2-core machine
    poolOptions: { forks: { maxForks: 1, minForks: 1 } },
    fileParallelism: false,
  },
});
