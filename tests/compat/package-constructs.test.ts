/**
 * dbt semantics that public packages' integration projects exercise, each
 * reproduced in a tiny project with a small local package (written for these
 * tests, not taken from any package): relations passing `is mapping`, generic
 * test kwargs rendered natively, config() in a test macro applied at parse,
 * tests on a model without SQL disabled, `target` in dbt_project.yml,
 * run_started_at as a datetime, agate-like result columns with Python
 * dates, api.Column.
 */
import { describe, expect, it } from 'vitest';
import { build, run, test } from '../../src/api/run.js';
import { makeProject, statuses } from '../execute/harness.js';

const pkg = {
  'dbt_packages/minipkg/dbt_project.yml': 'name: minipkg\nversion: "1.0.0"\nconfig-version: 2\n',
  'dbt_packages/minipkg/macros/helpers.sql': `
{% macro require_relation(obj, caller_name) %}
  {%- if not (obj is mapping and obj.get('metadata', {}).get('type', '').endswith('Relation')) -%}
    {%- do exceptions.raise_compiler_error(caller_name ~ ' needs a Relation, got: ' ~ obj) -%}
  {%- endif -%}
{% endmacro %}

{% macro count_of(rel) %}
  {%- do minipkg.require_relation(rel, 'count_of') -%}
  (select count(*) from {{ rel }})
{% endmacro %}

{% macro column_values(query) %}
  {%- set out = {} -%}
  {%- if execute -%}
    {%- for name, col in run_query(query).columns.items() -%}
      {%- do out.update({name: col.values()}) -%}
    {%- endfor -%}
  {%- endif -%}
  {{ return(out) }}
{% endmacro %}
`,
  'dbt_packages/minipkg/macros/same_rowcount.sql': `
{% test same_rowcount(model, compare_model) %}
  {#- set at parse time, before the early return -#}
  {{ config(fail_calc='sum(diff)') }}
  {%- if not execute -%}{{ return('') }}{%- endif -%}
  {%- do minipkg.require_relation(model, 'same_rowcount') -%}
  {%- do minipkg.require_relation(compare_model, 'same_rowcount') -%}
  select abs({{ minipkg.count_of(model) }} - {{ minipkg.count_of(compare_model) }}) as diff
  union all
  select 0 as diff
{% endtest %}
`,
};

describe('package constructs in a project', () => {
  it('a ref passes `is mapping` with Relation metadata; a string does not', async () => {
    const files = {
      ...pkg,
      'models/a.sql': "{{ config(materialized='table') }}select 1 as id union all select 2",
      'models/b.sql': "select {{ minipkg.count_of(ref('a')) }} as n",
    };
    const p = makeProject(files);
    const r = await run(p.opts);
    expect(statuses(r.results)).toEqual({ a: 'success', b: 'success' });
    expect(await p.query('select n from b')).toEqual([{ n: 2 }]);
    // As in dbt, the check runs at parse time too, so the string fails the parse.
    const bad = makeProject({ ...files, 'models/c.sql': "select {{ minipkg.count_of('a') }} as n" });
    await expect(run(bad.opts)).rejects.toThrow('count_of needs a Relation, got: a');
  });

  it('generic test kwargs stay Relations, and config() in the test macro sets fail_calc at parse', async () => {
    const p = makeProject({
      ...pkg,
      'models/a.sql': "{{ config(materialized='table') }}select 1 as id union all select 2",
      'models/b.sql': "{{ config(materialized='table') }}select 1 as id union all select 2",
      'models/c.sql': "{{ config(materialized='table') }}select 1 as id",
      'models/schema.yml': `version: 2
models:
  - name: a
    data_tests:
      - minipkg.same_rowcount:
          compare_model: ref('b')
      - minipkg.same_rowcount:
          name: a_vs_c
          compare_model: ref('c')
`,
    });
    await run(p.opts);
    const r = await test(p.opts);
    const byName = Object.fromEntries(r.results.map((x) => [x.node.name, { status: x.status, failures: x.failures }]));
    // Two rows come back in each case: only fail_calc (sum of diff) tells them apart.
    expect(byName).toEqual({
      minipkg_same_rowcount_a_ref_b_: { status: 'pass', failures: 0 },
      a_vs_c: { status: 'fail', failures: 1 },
    });
  });

  it('tests declared on a model that has no SQL file are disabled with a warning, not an error', async () => {
    const p = makeProject({
      'models/a.sql': 'select 1 as id',
      'models/schema.yml': `version: 2
models:
  - name: a
    columns:
      - name: id
        data_tests: [not_null]
  - name: ghost
    columns:
      - name: id
        data_tests: [not_null]
`,
    });
    const r = await build(p.opts);
    expect(statuses(r.results)).toEqual({ a: 'success', not_null_a_id: 'pass' });
    expect(r.warnings).toContain("models/schema.yml: test 'not_null_ghost_id' depends on ref('ghost'), which was not found; the test is disabled.");
    expect(r.warnings).toContain("models/schema.yml: Did not find matching node for patch with name 'ghost' in the 'models' section.");
    expect(r.warnings.filter((w) => w.includes("'a'"))).toEqual([]);
  });

  it('a test in tests/ whose ref is missing is still an error in a model', async () => {
    const p = makeProject({ 'models/a.sql': "select * from {{ ref('ghost') }}" });
    await expect(run(p.opts)).rejects.toThrow("ref('ghost') in 'a' matches no node.");
  });

  it('dbt_project.yml configs can use target', async () => {
    const p = makeProject({ 'models/a.sql': 'select 1 as id' });
    p.write({
      'dbt_project.yml': `name: proj\nprofile: proj\nconfig-version: 2\nmodels:\n  proj:\n    +materialized: "{{ 'table' if target.name == 'dev' else 'view' }}"\n`,
    });
    await run(p.opts);
    expect(await p.query("select table_type from information_schema.tables where table_name = 'a'")).toEqual([{ table_type: 'BASE TABLE' }]);
  });

  it('run_started_at is an aware UTC datetime', async () => {
    const p = makeProject({
      'models/a.sql': "select '{{ run_started_at.strftime('%Y') }}' as y, '{{ run_started_at.tzinfo }}' as tz, {{ run_started_at.hour is defined }} as has_hour",
    });
    await run(p.opts);
    expect(await p.query('select * from a')).toEqual([{ y: String(new Date().getUTCFullYear()), tz: 'UTC', has_hour: true }]);
  });

  it('result columns loop with items() and rows read with get()', async () => {
    const p = makeProject({
      ...pkg,
      'models/a.sql': `{%- set d = minipkg.column_values("select 1 as x, 'p' as y union all select 2, 'q' order by 1") -%}
{%- set row = run_query("select 7 as k, 'v' as w").rows[0] if execute else none -%}
{%- set q = "''" -%}
select '{{ (d ~ '') | replace("'", q) }}' as d, '{{ row.get("w") if execute }}' as w, '{{ ((row.items() | list) ~ '') | replace("'", q) if execute }}' as items`,
    });
    const r = await run(p.opts);
    expect(r.results.map((x) => x.message)).toEqual([expect.stringMatching(/^OK/)]);
    // A column's values() is agate's tuple.
    expect(await p.query('select * from a')).toEqual([{ d: "{'x': (1, 2), 'y': ('p', 'q')}", w: 'v', items: "[('k', 7), ('w', 'v')]" }]);
  });

  it('dates and timestamps from run_query are Python date/datetime objects', async () => {
    const p = makeProject({
      'models/a.sql': `{%- if execute -%}
{%- set r = run_query("select date '2024-01-31' as d, timestamp '2024-01-31 12:34:56' as t, timestamptz '2024-01-31 12:00:00+00' as tz") -%}
{%- set d = r.columns[0].values()[0] -%}
select '{{ d.strftime("%Y/%m/%d") }}' as d, '{{ r.rows[0][1] }}' as t, {{ r.rows[0]['t'].hour }} as h, '{{ r.rows[0][2].tzinfo }}' as tz,
  {{ d is string }} as is_str, '{{ (d + modules.datetime.timedelta(days=1)).isoformat() }}' as next_day
{%- else -%}select 1 as x{%- endif -%}`,
    });
    await run(p.opts);
    expect(await p.query('select * from a')).toEqual([{ d: '2024/01/31', t: '2024-01-31 12:34:56', h: 12, tz: 'UTC', is_str: false, next_day: '2024-02-01' }]);
  });

  it('api.Column has translate_type, numeric_type and string_type at parse and at run', async () => {
    const p = makeProject({
      'models/a.sql': `select '{{ api.Column.numeric_type("numeric", 28, 6) }}' as n, '{{ api.Column.numeric_type("numeric", none, 2) }}' as bare,
'{{ api.Column.translate_type("string") }}' as t, '{{ api.Column.string_type(10) }}' as s, '{{ api.Column.create("c", "STRING").dtype }}' as c`,
    });
    await run(p.opts);
    expect(await p.query('select * from a')).toEqual([{ n: 'numeric(28,6)', bare: 'numeric', t: 'TEXT', s: 'character varying(10)', c: 'TEXT' }]);
  });
});
