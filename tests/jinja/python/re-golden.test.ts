/**
 * `modules.re` against Python 3.11's `re` (golden/gen_re.py → golden/re.json):
 * each pattern's findall, search, fullmatch, sub and split on a few subjects,
 * its group count and names; scoped inline flags, VERBOSE, atomic groups and
 * possessive quantifiers, escapes, and the patterns Python refuses.
 */
import { describe, expect, it } from 'vitest';
import { dec, loadTemplateCases, renderCase } from './golden-codec.js';

const cases = loadTemplateCases('re.json');

describe('modules.re (golden from Python 3.11 re)', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThan(60));
  for (const [i, c] of cases.entries()) {
    const ctx = dec(c.ctx) as Record<string, unknown>;
    it(`#${i} ${JSON.stringify(ctx.pat)} flags=${String(ctx.flags)}`, () => {
      if (c.error === undefined) expect(renderCase(c)).toBe(c.out);
      // Python's re.error messages are matched by type: ours name the same fault in our words.
      else expect(() => renderCase(c)).toThrow('re.error: ');
    });
  }
});
