import { describe, expect, it } from 'vitest';
import { injectCtes, leadingWithEnd } from '../../src/compile/inject-ctes.js';

const cte = (name: string, sql: string) => ({ id: `model.p.${name}`, name: `__dbt__cte__${name}`, sql });

describe('injectCtes', () => {
  it('puts a with clause in front of SQL without one', () => {
    expect(injectCtes('select * from __dbt__cte__a', [cte('a', 'select 1 as x')])).toBe('with __dbt__cte__a as (\nselect 1 as x\n)\nselect * from __dbt__cte__a');
  });

  it('joins the existing with list, after comments and whitespace, keeping recursive', () => {
    expect(injectCtes('-- note\n/* c */ WITH b as (select 2) select * from b, __dbt__cte__a', [cte('a', 'select 1')])).toBe(
      '-- note\n/* c */ WITH __dbt__cte__a as (\nselect 1\n), b as (select 2) select * from b, __dbt__cte__a',
    );
    expect(injectCtes('with recursive r(n) as (select 1) select * from r', [cte('a', 'select 1')])).toBe('with recursive __dbt__cte__a as (\nselect 1\n), r(n) as (select 1) select * from r');
  });

  it('leaves SQL alone without CTEs and does not mistake a column named with_x for a with', () => {
    expect(injectCtes('select 1', [])).toBe('select 1');
    expect(leadingWithEnd('select with_x from t')).toBe(-1);
    expect(leadingWithEnd('withdrawals')).toBe(-1);
  });
});
