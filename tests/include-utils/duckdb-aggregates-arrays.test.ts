import { describe, expect, it } from 'vitest';
import { renderInProject } from '../support/render-in-project.js';
import { duckdbQuery } from './support/duckdb-query.js';

// Aggregates, arrays, set operators, equality and timestamps on the default
// (DuckDB) target: exact SQL, then what DuckDB returns for it.
const query = duckdbQuery();
const render = (template: string) => renderInProject(template);
const fruit = "(values (3, 'pear', 'b'), (1, 'apple', 'a'), (2, 'fig', 'a'), (4, 'kiwi', 'b')) as t(id, name, grp)";

describe('aggregates on DuckDB', () => {
  it('any_value is arbitrary', async () => {
    expect(render(`{{ dbt.any_value('name') }}`)).toBe('arbitrary(name)');
    const rows = await query(`select grp, ${render(`{{ dbt.any_value('name') }}`)} as v from ${fruit} group by grp order by grp`);
    expect(rows.map((r) => [r.grp, ['apple', 'fig', 'pear', 'kiwi'].includes(String(r.v))])).toEqual([
      ['a', true],
      ['b', true],
    ]);
  });

  it('bool_or', async () => {
    expect(render(`{{ dbt.bool_or('id > 3') }}`)).toBe('bool_or(id > 3)');
    const rows = await query(`select grp, ${render(`{{ dbt.bool_or('id > 3') }}`)} as v from ${fruit} group by grp order by grp`);
    expect(rows).toEqual([
      { grp: 'a', v: false },
      { grp: 'b', v: true },
    ]);
  });

  it('listagg: string_agg with the ordering inside, defaulting to a comma', async () => {
    expect(render(`{{ dbt.listagg('name') }}`)).toBe("string_agg(name, ',')");
    expect(render(`{{ dbt.listagg('name', "' | '", 'order by id desc') }}`)).toBe("string_agg(name, ' | ' order by id desc)");
    const rows = await query(`select ${render(`{{ dbt.listagg('name', "', '", 'order by id') }}`)} as v from ${fruit}`);
    expect(rows).toEqual([{ v: 'apple, fig, pear, kiwi' }]);
    const grouped = await query(`select grp, ${render(`{{ dbt.listagg('name', "'+'", 'order by name desc') }}`)} as v from ${fruit} group by grp order by grp`);
    expect(grouped).toEqual([
      { grp: 'a', v: 'fig+apple' },
      { grp: 'b', v: 'pear+kiwi' },
    ]);
  });

  it('listagg with limit_num keeps the first values in order', async () => {
    const call = `{{ dbt.listagg(measure='name', delimiter_text="','", order_by_clause='order by id desc', limit_num=2) }}`;
    expect(render(call)).toBe("list_aggr((array_agg(name order by id desc))[1:2], 'string_agg', ',')");
    expect(await query(`select ${render(call)} as v from ${fruit}`)).toEqual([{ v: 'kiwi,pear' }]);
  });
});

describe('arrays on DuckDB', () => {
  it('array_construct, with an empty array typed (integer unless given)', async () => {
    expect(render('{{ dbt.array_construct([1, 2, 3]) }}')).toBe('array[ 1 , 2 , 3 ]');
    expect(render('{{ dbt.array_construct() }}')).toBe('array[]::integer[]');
    expect(render("{{ dbt.array_construct([], 'varchar') }}")).toBe('array[]::varchar[]');
    const rows = await query(`select ${render('{{ dbt.array_construct([1, 2, 3]) }}')} as a, ${render("{{ dbt.array_construct([], dbt.type_string()) }}")} as e, typeof(${render('{{ dbt.array_construct() }}')}) as t`);
    expect(rows).toEqual([{ a: [1, 2, 3], e: [], t: 'INTEGER[]' }]);
  });

  it('array_append and array_concat', async () => {
    expect(render(`{{ dbt.array_append('xs', 4) }}`)).toBe('array_append(xs, 4)');
    expect(render(`{{ dbt.array_concat('xs', 'ys') }}`)).toBe('array_cat(xs, ys)');
    const a = render('{{ dbt.array_construct([1, 2]) }}');
    const b = render('{{ dbt.array_construct([3]) }}');
    expect(await query(`select ${render(`{{ dbt.array_append('${a}', 9) }}`)} as app, ${render(`{{ dbt.array_concat('${a}', '${b}') }}`)} as cat`)).toEqual([
      { app: [1, 2, 9], cat: [1, 2, 3] },
    ]);
  });
});

describe('set operators and equality on DuckDB', () => {
  it('except and intersect', async () => {
    expect(render('select 1 {{ dbt.except() }} select 2')).toBe('select 1 except select 2');
    expect(render('{{ intersect() }}')).toBe('intersect');
    const ex = await query(render('select * from (values (1), (2), (3)) t(x) {{ dbt.except() }} select * from (values (2)) u(x) order by 1'));
    expect(ex).toEqual([{ x: 1 }, { x: 3 }]);
    const inter = await query(render('select * from (values (1), (2), (3)) t(x) {{ dbt.intersect() }} select * from (values (2), (5)) u(x)'));
    expect(inter).toEqual([{ x: 2 }]);
  });

  it('equals is plain = while the truthy-nulls behaviour flag is off (dbt default)', async () => {
    expect(render(`{{ dbt.equals('a', 'b') }}`)).toBe('(a = b)');
    const rows = await query(`select ${render(`{{ dbt.equals('a', 'b') }}`)} as eq from (values (1, 1, 1), (2, 1, 2), (3, null, null)) t(k, a, b) order by k`);
    expect(rows.map((r) => r.eq)).toEqual([true, false, null]);
  });
});

describe('timestamps on DuckDB', () => {
  it('current_timestamp_backcompat and the in-UTC variant cast now to timestamp', async () => {
    expect(render('{{ dbt.current_timestamp_backcompat() }}')).toBe('current_timestamp::timestamp');
    expect(render('{{ dbt.current_timestamp_in_utc_backcompat() }}')).toBe('current_timestamp::timestamp');
    const [row] = await query(`select typeof(${render('{{ dbt.current_timestamp_backcompat() }}')}) as t, ${render('{{ dbt.current_timestamp_in_utc_backcompat() }}')} as ts`);
    expect(row!.t).toBe('TIMESTAMP');
    expect(Math.abs((row!.ts as Date).getTime() - Date.now())).toBeLessThan(24 * 3600 * 1000);
  });
});
