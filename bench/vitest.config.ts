import { defineConfig } from 'vitest/config';

/** Benchmarks run with `npx vitest run --config bench/vitest.config.ts` (they print, they do not assert speed). */
export default defineConfig({
  test: {
    include: ['bench/**/*.bench.test.ts'],
    testTimeout: 600_000,
    pool: 'forks',
  },
});
