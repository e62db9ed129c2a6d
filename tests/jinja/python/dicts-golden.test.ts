/**
 * Dicts whose keys are ints, bools, None, tuples or digit strings, against
 * Jinja2 3.1 (golden/gen_dicts.py → golden/dicts.json): literals, dict(),
 * methods, `in`, filters, iteration, equality, macros and namespaces.
 */
import { describe, expect, it } from 'vitest';
import { loadTemplateCases, renderCase } from './golden-codec.js';

const cases = loadTemplateCases('dicts.json');

describe('dict keys keep their Python type (golden from Jinja2 3.1)', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThan(20));
  for (const [i, c] of cases.entries()) {
    it(`#${i} ${c.src.slice(0, 100)}`, () => {
      if (c.error === undefined) expect(renderCase(c)).toBe(c.out);
      else expect(() => renderCase(c)).toThrow(`${c.error}: ${c.message}`);
    });
  }
});
