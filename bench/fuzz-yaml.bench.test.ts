import { it } from 'vitest';
import { fuzzYaml } from '../tests/support/fuzz/yaml-differential.js';

/**
 * The long run of the fast-YAML-reader differential fuzz (npm test runs 3,000 cases):
 *   FUZZ_RUNS=200000 FUZZ_SEED=1 npx vitest run --config bench/vitest.config.ts bench/fuzz-yaml.bench.test.ts
 */
it('fast block YAML reader agrees with yaml on FUZZ_RUNS generated documents', () => {
  const runs = Number(process.env.FUZZ_RUNS ?? 50_000);
  const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
  const started = Date.now();
  const { accepted } = fuzzYaml(runs, seed);
  console.log(`fuzz-yaml: ${runs} documents (seed ${seed}), ${accepted} read by the fast reader, all equal to yaml's, ${Date.now() - started} ms`);
});
