import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluateSimpleTestKwargs } from '../../src/compile/simple-test-kwargs.js';
import { JinjaEnvironment, type RenderContext } from '../../src/jinja/index.js';

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
    // A `where` config makes get_where_subquery return text: taken as it is, as native rendering hands it back.
    where = 'text';
    expect(evaluateSimpleTestKwargs(kwargs, context).values.model).toBe('(select * from orders where x) dbt_subquery');
  });

  it('gives what native rendering of the stored text gives, for a relation and for a where subquery (a set block returned)', () => {
    const env = new JinjaEnvironment();
    // The built-in macro itself (src/include), with `config.get('where')` as the test's config gives it.
    const file = fileURLToPath(new URL('../../src/include/global/macros/materializations/test.sql', import.meta.url));
    const macros = readFileSync(file, 'utf8');
    for (const where of ['kind = 5', '']) {
      const context: RenderContext = { vars: { ref: (n: string) => rel(n), config: { get: (key: string) => (key === 'where' ? where : undefined) } } };
      context.resolve = (name) => (name === 'get_where_subquery' ? env.bindMacro(file, macros, 'default__get_where_subquery', context) : undefined);
      context.vars.get_where_subquery = context.resolve('get_where_subquery');
      const text = "{{ get_where_subquery(ref('orders')) }}";
      const fast = evaluateSimpleTestKwargs({ model: text }, context).values.model;
      const rendered = env.renderNative(text, 'models/schema.yml', context);
      expect(fast).toBeDefined();
      if (where) {
        expect([fast, typeof fast]).toEqual([rendered, 'string']);
        expect(fast).toMatch(/^\(select \* from .+ where kind = 5\) dbt_subquery$/);
      }
      else expect([(fast as { name: string }).name, (rendered as { name: string }).name]).toEqual(['orders', 'orders']);
    }
  });
});
