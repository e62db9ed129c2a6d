/**
 * decimal.Decimal in templates (query results hold one for every non-integer
 * number, as dbt's agate tables do), against Jinja2 3.1 and Python's default
 * decimal context (golden/gen_decimal.py → golden/decimal.json): str and
 * repr, arithmetic with ints, Decimals and floats (a TypeError), comparisons,
 * the numeric filters and formatting.
 */
import { describe, expect, it } from 'vitest';
import { loadTemplateCases, renderCase } from './golden-codec.js';

const cases = loadTemplateCases('decimal.json');

describe('decimal.Decimal (golden from Jinja2 3.1)', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThan(300));
  for (const [i, c] of cases.entries()) {
    it(`#${i} ${c.src.slice(0, 60)} ${JSON.stringify(c.ctx).slice(0, 80)}`, () => {
      if (c.error === undefined) expect(renderCase(c)).toBe(c.out);
      else expect(() => renderCase(c)).toThrow(`${c.error}: ${c.message}`);
    });
  }
});
