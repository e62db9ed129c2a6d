/**
 * The compile cache: one compiled template per (file, source). Speed itself
 * is measured by bench/jinja-render.bench.test.ts (render against plain
 * nunjucks, bound macros, distinct compiles, the block scan), not asserted
 * here: a timed unit test fails whenever the machine is busy.
 */
import { describe, expect, it } from 'vitest';
import { JinjaEnvironment } from '../../../src/jinja/index.js';
import { MODEL } from '../../../bench/jinja-fixtures.js';

describe('compile cache', () => {
  it('compiles once per (file, source)', () => {
    const env = new JinjaEnvironment();
    const a = env.compile(MODEL, 'models/a.sql');
    expect(env.compile(MODEL, 'models/a.sql')).toBe(a);
    expect(env.compile(MODEL, 'models/b.sql')).not.toBe(a);
    expect(env.compile(`${MODEL}-- edited`, 'models/a.sql')).not.toBe(a);
  });
});
