/**
 * The backtracking bound holds through the new syntax: scoped flags, VERBOSE,
 * atomic groups and possessive quantifiers either run on V8's linear engine,
 * or (when they need lookarounds or backreferences and nest quantifiers) are
 * refused at compile with re.error; none hangs.
 */
import { describe, expect, it } from 'vitest';
import { JinjaEnvironment } from '../../../src/jinja/index.js';
import { pythonModules } from '../../../src/jinja/python/modules/index.js';

const env = new JinjaEnvironment();
const render = (pat: string): string =>
  env.renderString("{{ modules.re.search(pat, 'a' * 40 + 'c') }}", 'bound.sql', { vars: { modules: pythonModules, pat } });

describe('modules.re stays bounded with scoped flags and atomic groups', () => {
  for (const pat of ['(?i:(a+)+)b', '(?x) ( a + ) + b', '(?s:(a|.)*)b', '(?>(a+)+)b', '(a++)+b', '(?:a*+)*b']) {
    it(`${pat} finishes quickly with Python's answer (no match)`, () => {
      const t = Date.now();
      expect(render(pat)).toBe('None');
      expect(Date.now() - t).toBeLessThan(2000);
    });
  }
  for (const pat of ['(?m:^(a+)+$)', '(?i:(a+)+)\\1']) {
    it(`${pat} is refused at compile as exponential`, () => {
      expect(() => render(pat)).toThrow(/re\.error: .*exponential time/);
    });
  }
});
