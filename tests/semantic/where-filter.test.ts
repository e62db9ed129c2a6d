import { describe, expect, it } from 'vitest';
import { TsdbtError } from '../../src/errors/tsdbt-error.js';
import { parseFilter, renderFilter, type FilterRef } from '../../src/semantic/where-filter.js';

const render = (text: string) => {
  const binds: unknown[] = [];
  const sql = renderFilter(parseFilter(text), (r: FilterRef) => `<${r.kind}:${r.name}${r.grain ? `@${r.grain}` : ''}>`, binds);
  return { sql, binds };
};

const errorOf = (text: string): TsdbtError => {
  try { parseFilter(text); } catch (e) { return e as TsdbtError; }
  throw new Error('expected an error');
};

describe('where filters (restricted grammar, literals as binds)', () => {
  it('renders references and turns every literal into a bind, in text order', () => {
    expect(render("{{ Dimension('customer__country') }} = 'US' and {{ TimeDimension('metric_time', 'week') }} >= '2024-01-01'")).toEqual({
      sql: "<Dimension:customer__country> = ? and <TimeDimension:metric_time@week> >= ?",
      binds: ['US', '2024-01-01'],
    });
    expect(render("{{ Entity('order') }} in (1, 2, -3) or not lower({{ Dimension('a__b') }}) like 'x%'")).toEqual({
      sql: '<Entity:order> in (?, ?, ?) or not lower(<Dimension:a__b>) like ?',
      binds: [1, 2, -3, 'x%'],
    });
    expect(render("{{ Dimension('a__b').grain('month') }} is not null")).toEqual({ sql: '<Dimension:a__b@month> is not null', binds: [] });
    expect(render("{{ Dimension('a__c') }} = 'it''s'").binds).toEqual(["it's"]);
    expect(render("{{ Dimension('country__region', entity_path=['customer']) }} = 'NA'").sql).toBe('<Dimension:customer__country__region> = ?');
  });

  it('rejects injection, subqueries, unknown functions and bare identifiers with the position', () => {
    const e = errorOf("{{ Dimension('a__b') }} = 'x' or 1=1) union select 1");
    expect(e.code).toBe('QUERY_FILTER');
    expect(e.message).toContain('at column 37: unexpected \')\'');
    expect(errorOf("{{ Dimension('a__b') }} = (select 1)").message).toContain('subqueries are not allowed');
    expect(errorOf("pg_sleep(10) = 1").message).toContain("function 'pg_sleep' is not allowed");
    expect(errorOf("country = 'US'").message).toContain("'country' is not a reference");
    expect(errorOf("{{ Dimension('a__b') }} = 'x'; drop table t").message).toContain('unexpected ";"');
    expect(errorOf("{{ config('x') }} = 1").message).toContain('expected Dimension, TimeDimension, Entity or Metric');
  });
});
