/**
 * Jinja constructs that dbt packages (dbt_utils, dbt_date) rely on, rendered
 * by tsdbt and compared with Jinja2 3.1's output (golden/gen_compat.py →
 * golden/compat.json): Python sets, mapping-like relations, re.Match
 * subscripts, tuple slices, groupby fields.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Relation } from '../../src/adapters/base/relation.js';
import { JinjaEnvironment, pyFunction } from '../../src/jinja/index.js';
import { pythonModules } from '../../src/jinja/python/modules/index.js';
import { pySet } from '../../src/jinja/python/py-set.js';

const cases = JSON.parse(readFileSync(new URL('./golden/compat.json', import.meta.url), 'utf8')) as { src: string; out: string }[];
const env = new JinjaEnvironment();
const all = { database: true, schema: true, identifier: true };

function vars(): Record<string, unknown> {
  return {
    set: pyFunction(([xs]) => pySet(xs)),
    rel: new Relation({ database: 'db', schema: 'analytics', identifier: 'orders' }, all),
    modules: pythonModules,
    rows: [{ k: 'b', v: 1 }, { k: 'a', v: 2 }, { k: 'b', v: 3 }],
  };
}

describe('package constructs match Jinja2 3.1', () => {
  it('has the golden cases', () => expect(cases.length).toBe(10));
  for (const [i, c] of cases.entries()) {
    it(`#${i} ${c.src.slice(0, 90)}`, () => {
      expect(env.renderString(c.src, 'compat.sql', { vars: vars() })).toBe(c.out);
    });
  }

  it('a relation renders quoted and reports its class in metadata', () => {
    const out = env.renderString("{{ rel }}|{{ rel.get('metadata') }}|{{ rel['quote_character'] }}|{{ rel['nope'] is none }}", 'x.sql', { vars: vars() });
    expect(out).toBe(`"db"."analytics"."orders"|{'type': 'BaseRelation'}|"|False`);
  });

  it("map() and select() see dbt's own filters and tests", () => {
    // as_text and is_list exist only in dbt's environment, not in Jinja2's.
    const out = env.renderString("{{ ['a', 1] | map('as_text') | list }}|{{ [[1], 'x'] | map('is_list') | list }}|{{ [1, 2, 3] | select('odd') | list }}", 'x.sql', { vars: vars() });
    expect(out).toBe("['a', 1]|[True, False]|[1, 3]");
  });

  it('set.remove of a missing member raises KeyError', () => {
    expect(() => env.renderString('{% do set([1]).remove(2) %}', 'x.sql', { vars: vars() })).toThrow('KeyError: 2');
  });
});
