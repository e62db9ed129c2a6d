/**
 * A run_query column read by position, as agate's Column (a MappedSequence):
 * `table.columns[0][0]` is the first row's value (dbt_asana's daily metrics
 * spine starts from `run_query(...).columns[0][0] | string`), negative
 * positions count from the end, and a position past the end is undefined;
 * a string key is no item (the table has no row names), so `col['name']`
 * and `map(attribute='name')` read the attribute, as Jinja2's getitem falls
 * back (dbt-unit-testing maps its columns so).
 */
import { describe, expect, it } from 'vitest';
import { run } from '../../src/api/run.js';
import { makeProject } from '../execute/harness.js';

describe('result columns by position', () => {
  it('columns[i][j] is row j of column i, its Python value', async () => {
    const p = makeProject({
      'models/a.sql': `{%- if execute -%}
{%- set r = run_query("select * from (values (timestamp '2019-09-02 14:53:02.685', 1.5::double, 'x'), (timestamp '2020-01-01 00:00:00', 2.5::double, 'y')) as t(ts, f, s) order by ts") -%}
select '{{ r.columns[0][0] | string }}' as ts, '{{ (r.columns[0][0] | string)[0:10] }}' as day, {{ r.columns[1][-1] }} as last_f,
  '{{ r.columns['s'][1] }}' as s, {{ r.columns[2][2] is defined }} as past_end,
  '{{ r.columns | map(attribute='name') | join(',') }}' as names, '{{ r.columns[2]['name'] }}' as by_key
{%- else -%}select 1 as x{%- endif -%}`,
    });
    await run(p.opts);
    expect(await p.query('select * from a')).toEqual([{ ts: '2019-09-02 14:53:02.685000', day: '2019-09-02', last_f: 2.5, s: 'y', past_end: false, names: 'ts,f,s', by_key: 's' }]);
  });
});
