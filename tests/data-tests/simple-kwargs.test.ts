import { describe, expect, it } from 'vitest';
import { evaluateSimpleTestKwargs } from '../../src/compile/simple-test-kwargs.js';
import type { RenderContext } from '../../src/jinja/index.js';

const rel = (name: string) => ({ name, render: () => `"db"."main"."${name}"` });

describe('evaluateSimpleTestKwargs', () => {
  it('evaluates ref() and get_where_subquery(ref()) through the context; leaves everything else to the renderer', () => {
    const calls: string[] = [];
    let where: 'relation' | 'text' = 'relation';
    const context: RenderContext = {
      vars: { ref: (n: string) => (calls.push(`ref ${n}`), rel(n)) },
      resolve: (name) => (name === 'get_where_subquery' ? (r: { name: string }) => (calls.push(`where ${r.name}`), where === 'relation' ? r : `(select * from ${r.name} where x) dbt_subquery`) : undefined),
    };
    const kwargs = {
      model: "{{ get_where_subquery(ref('orders')) }}",
      to: 'ref("customers")',
      field: 'id',
      column_name: "ref('not_evaluated')",
      other: "ref('a') ~ 'b'",
      values: ['x'],
    };
    const out = evaluateSimpleTestKwargs(kwargs, context);
    expect(Object.keys(out.values)).toEqual(['model', 'to']);
    expect([(out.values.model as { name: string }).name, (out.values.to as { name: string }).name]).toEqual(['orders', 'customers']);
    expect(out.rest).toEqual({ field: 'id', column_name: "ref('not_evaluated')", other: "ref('a') ~ 'b'", values: ['x'] });
    expect(calls).toEqual(['ref orders', 'where orders', 'ref customers']);
    // A `where` config makes get_where_subquery return text: that goes through native rendering instead.
    where = 'text';
    expect(Object.keys(evaluateSimpleTestKwargs(kwargs, context).values)).toEqual(['to']);
  });
});
