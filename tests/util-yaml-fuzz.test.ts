import { describe, expect, it } from 'vitest';
import { fuzzYaml } from './support/fuzz/yaml-differential.js';

describe('fast block YAML reader vs the yaml package (seeded differential fuzz)', () => {
  it('agrees on 3,000 generated documents (the long run: bench/fuzz-yaml.bench.test.ts)', () => {
    const { accepted } = fuzzYaml(3000, 20261204);
    // The generator must keep exercising the fast path, not only the fallback.
    expect(accepted).toBeGreaterThan(300);
  });
});
