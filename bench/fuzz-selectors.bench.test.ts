import { it } from 'vitest';
import { fuzzFnmatch, fuzzSelectors } from '../tests/support/fuzz/selector-grammar.js';
import { select } from '../tests/graph/project-fixture.js';

/**
 * The long run of the selector fuzzers (npm test runs 2,000 + 3,000 cases):
 *   FUZZ_RUNS=100000 FUZZ_SEED=1 npx vitest run --config bench/vitest.config.ts bench/fuzz-selectors.bench.test.ts
 */
it('selector grammar and fnmatch fuzz, FUZZ_RUNS cases each', () => {
  const runs = Number(process.env.FUZZ_RUNS ?? 20_000);
  const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
  const started = Date.now();
  const { ok, rejected } = fuzzSelectors((opts) => select(opts), runs, seed);
  const compared = fuzzFnmatch(runs, seed);
  console.log(`fuzz-selectors: ${runs} selections (seed ${seed}): ${ok} selected, ${rejected} usage errors, 0 raw errors; fnmatch: ${compared} patterns equal to the reference; ${Date.now() - started} ms`);
});
