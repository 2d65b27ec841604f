import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // long runs live in test/torture and run only with `npm run torture` (vitest.torture.config.ts)
    exclude: [...configDefaults.exclude, 'test/torture/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // 2-core machines: socket tests are timing-sensitive, keep parallelism modest
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
