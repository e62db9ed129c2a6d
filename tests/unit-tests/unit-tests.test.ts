import { describe, expect, it } from 'vitest';
import { build, run, test } from '../../src/api/run.js';
import { makeProject, statuses } from '../execute/harness.js';

const base = {
  'models/customers.sql': "{{ config(materialized='table') }}select * from (values (1, 'Ann', 'ann@x.com'), (2, 'Bob', 'bob@y.org')) as t(id, name, email)",
  'models/orders.sql': "{{ config(materialized='table') }}select * from (values (10, 1, 5.5), (11, 1, 4.5), (12, 2, 100.0)) as t(order_id, customer_id, amount)",
  'models/customer_totals.sql': `select c.id, c.name, count(o.order_id) as n_orders, coalesce(sum(o.amount), 0) as total,
  c.email like '%.com' as is_com
from {{ ref('customers') }} c left join {{ ref('orders') }} o on o.customer_id = c.id
group by c.id, c.name, c.email`,
};

function byName(results: { node: { name: string }; status: string; failures: number | null; message: string | null }[]) {
  return Object.fromEntries(results.map((r) => [r.node.name, { status: r.status, failures: r.failures, message: r.message }]));
}

describe('unit tests', () => {
  it('pass and fail with a +++/--- diff of the differing rows, comparing only the expected columns, in any order', async () => {
    const p = makeProject({
      ...base,
      'models/unit.yml': `unit_tests:
  - name: totals_ok
    model: customer_totals
    given:
      - input: ref('customers')
        rows:
          - {id: 1, name: a, email: a@b.com}
          - {id: 2, name: b, email: b@c.net}
      - input: ref('orders')
        rows:
          - {order_id: 1, customer_id: 1, amount: 3}
          - {order_id: 2, customer_id: 1, amount: 4}
    expect:
      rows:
        - {id: 2, total: 0, is_com: false}
        - {id: 1, total: 7, is_com: true}
  - name: totals_wrong
    model: customer_totals
    given:
      - input: ref('customers')
        rows:
          - {id: 1, name: a, email: a@b.com}
      - input: ref('orders')
        rows: []
    expect:
      rows:
        - {id: 1, n_orders: 2}
`,
    });
    await run(p.opts);
    const r = await test({ ...p.opts, select: ['test_type:unit'] });
    expect(byName(r.results)).toEqual({
      totals_ok: { status: 'pass', failures: 0, message: null },
      totals_wrong: { status: 'fail', failures: 1, message: 'actual differs from expected:\n\n@@ ,id,n_orders\n+++,1 ,0\n---,1 ,2' },
    });
    expect(r.success).toBe(false);
    const ok = r.results.find((x) => x.node.name === 'totals_ok')!;
    expect(ok.compiled_path).toBe('target/compiled/proj/models/unit.yml/models/totals_ok.sql');
    expect(ok.compiled_code).toContain('__dbt__cte__customers as (');
    // Typed by the real relation's columns (orders.amount is DECIMAL(4,1)).
    expect(ok.compiled_code).toContain('cast(3 as DECIMAL(4,1)) as amount');
  });
});

describe('unit test inputs and overrides', () => {
  it("compiles a format: sql fixture's Jinja, as dbt compiles it as its fixture node's code (the Tuva Project's unit tests)", async () => {
    const p = makeProject({
      'dbt_project.yml': 'name: proj\nprofile: proj\nconfig-version: 2\nvars:\n  label_of_b: Beta\n',
      'models/events_by_kind.sql': "select 'a' as kind, 1 as n",
      'models/kinds.sql': "select 'a' as kind, 'Alpha' as label",
      'models/joined.sql': "select e.kind, k.label, e.n from {{ ref('events_by_kind') }} e join {{ ref('kinds') }} k on k.kind = e.kind",
      'tests/fixtures/kinds.sql': "select 'b' as kind, '{{ var(\"label_of_b\") }}' as label",
      'models/unit.yml': `unit_tests:
  - name: jinja_in_sql
    model: joined
    given:
      - input: ref('events_by_kind')
        format: sql
        rows: |
          {% set kind_column = '"kind"' if target.type == 'duckdb' else 'kind' %}
          select 'b' as {{ kind_column }}, {{ 1 + 1 }} as n
      - input: ref('kinds')
        format: sql
        fixture: kinds
    expect:
      format: sql
      rows: select 'b' as kind, '{{ var("label_of_b") }}' as label, {{ 2 }} as n
`,
    });
    const r = await test({ ...p.opts, select: ['test_type:unit'] });
    expect(byName(r.results)).toEqual({ jinja_in_sql: { status: 'pass', failures: 0, message: null } });
    expect(r.results[0]!.node.compiled_code).toContain(`select 'b' as "kind", 2 as n`);
  });

  it('reads csv (inline and fixture files) and sql inputs, sources, and infers types when the input relation does not exist', async () => {
    const p = makeProject({
      'models/src.yml': 'version: 2\nsources:\n  - name: raw\n    tables:\n      - name: events\n',
      'models/events_by_kind.sql': "select kind, count(*) as n, sum(weight) as w from {{ source('raw', 'events') }} group by kind",
      'models/joined.sql': "select e.kind, k.label from {{ ref('events_by_kind') }} e join {{ ref('kinds') }} k on k.kind = e.kind",
      'models/kinds.sql': "select 'a' as kind, 'Alpha' as label",
      'tests/fixtures/raw_events.csv': 'kind,weight\na,1.5\na,2\nb,\n',
      'tests/fixtures/kinds.sql': "select 'b' as kind, 'Beta' as label",
      'models/unit.yml': `unit_tests:
  - name: csv_inline
    model: events_by_kind
    given:
      - input: source('raw', 'events')
        format: csv
        rows: |
          kind,weight
          a,1
          a,2
          b,5
    expect:
      format: csv
      rows: |
        kind,n,w
        a,2,3
        b,1,5
  - name: csv_fixture
    model: events_by_kind
    given:
      - input: source('raw', 'events')
        format: csv
        fixture: raw_events
    expect:
      rows:
        - {kind: a, n: 2, w: 3.5}
        - {kind: b, n: 1, w: null}
  - name: sql_inputs
    model: joined
    given:
      - input: ref('events_by_kind')
        format: sql
        rows: select 'b' as kind, 1 as n, 1.0 as w
      - input: ref('kinds')
        format: sql
        fixture: kinds
    expect:
      format: sql
      rows: select 'b' as kind, 'Beta' as label
`,
    });
    // Nothing is built: the source table and the models do not exist, so fixture types are inferred.
    const r = await test({ ...p.opts, select: ['test_type:unit'] });
    expect(byName(r.results)).toEqual({
      csv_inline: { status: 'pass', failures: 0, message: null },
      csv_fixture: { status: 'pass', failures: 0, message: null },
      sql_inputs: { status: 'pass', failures: 0, message: null },
    });
    expect(r.results.find((x) => x.node.name === 'csv_fixture')!.compiled_code).toContain('cast(1.5 as double) as weight');
  });

  it('overrides is_incremental, vars, env vars and macros, and gives `this` rows', async () => {
    const p = makeProject({
      'macros/today.sql': "{% macro today() %}current_date{% endmacro %}",
      'models/stream.sql': "select * from (values (1, 10), (2, 20), (3, 30)) as t(id, ts)",
      'models/incr.sql': `{{ config(materialized='incremental') }}
select id, ts, '{{ var("region", "eu") }}' as region, '{{ env_var("TSDBT_UT_ENV", "none") }}' as env, {{ today() }} as d
from {{ ref('stream') }}
{% if is_incremental() %}where ts > (select max(ts) from {{ this }}){% endif %}`,
      'models/unit.yml': `unit_tests:
  - name: full_refresh
    model: incr
    given:
      - input: ref('stream')
        rows: [{id: 1, ts: 10}, {id: 2, ts: 20}]
    expect:
      rows: [{id: 1, region: eu, env: none}, {id: 2, region: eu, env: none}]
  - name: incremental
    model: incr
    overrides:
      macros: {is_incremental: true, today: "date '2024-01-31'"}
      vars: {region: us}
      env_vars: {TSDBT_UT_ENV: set}
    given:
      - input: ref('stream')
        rows: [{id: 1, ts: 10}, {id: 2, ts: 20}, {id: 3, ts: 30}]
      - input: this
        rows: [{id: 1, ts: 15}]
    expect:
      rows:
        - {id: 2, region: us, env: set, d: 2024-01-31}
        - {id: 3, region: us, env: set, d: 2024-01-31}
`,
    });
    await run(p.opts);
    const r = await test({ ...p.opts, select: ['test_type:unit'] });
    expect(byName(r.results)).toEqual({
      full_refresh: { status: 'pass', failures: 0, message: null },
      incremental: { status: 'pass', failures: 0, message: null },
    });
    expect(r.results.find((x) => x.node.name === 'incremental')!.compiled_code).toContain('where ts > (select max(ts) from __dbt__cte__incr__this)');
  });
});

describe('unit tests in build and test', () => {
  const files = {
    'models/a.sql': "{{ config(materialized='table') }}select 1 as id, 2 as x",
    'models/b.sql': "{{ config(materialized='table') }}select id, x * 2 as y from {{ ref('a') }}",
    'models/c.sql': "{{ config(materialized='table') }}select * from {{ ref('b') }}",
    'models/d.sql': "{{ config(materialized='table') }}select * from {{ ref('a') }}",
  };
  const unit = (expected: number) => `unit_tests:
  - name: doubles_x
    model: b
    given:
      - input: ref('a')
        rows: [{id: 1, x: 5}]
    expect:
      rows: [{id: 1, y: ${expected}}]
`;

  it('build runs a unit test before its model; a failure skips the model and its descendants only', async () => {
    const p = makeProject({ ...files, 'models/unit.yml': unit(11) });
    const r = await build(p.opts);
    const order = r.results.filter((x) => x.node.resource_type !== 'operation').map((x) => `${x.node.name}:${x.status}`);
    expect(order).toEqual(['a:success', 'doubles_x:fail', 'b:skipped', 'd:success', 'c:skipped']);
    expect(r.results.find((x) => x.node.name === 'b')!.message).toBe('Skipping because unit test doubles_x failed');
    expect(r.success).toBe(false);
    expect(await p.query("select count(*)::int as n from information_schema.tables where table_name in ('b', 'c')")).toEqual([{ n: 0 }]);

    p.write({ 'models/unit.yml': unit(10) });
    const ok = await build(p.opts);
    expect(statuses(ok.results)).toEqual({ a: 'success', doubles_x: 'pass', b: 'success', c: 'success', d: 'success' });
    expect(ok.results.findIndex((x) => x.node.name === 'doubles_x')).toBeLessThan(ok.results.findIndex((x) => x.node.name === 'b'));
  });

  it('`test` runs unit tests with the data tests; `run` does not run them', async () => {
    const p = makeProject({ ...files, 'models/unit.yml': unit(10), 'models/schema.yml': 'version: 2\nmodels:\n  - name: b\n    columns:\n      - name: id\n        data_tests: [not_null]\n' });
    const ran = await run(p.opts);
    expect(ran.results.some((x) => x.node.resource_type === 'unit_test')).toBe(false);
    const r = await test(p.opts);
    expect(statuses(r.results)).toEqual({ doubles_x: 'pass', not_null_b_id: 'pass' });
    const onlyData = await test({ ...p.opts, select: ['test_type:data'] });
    expect(statuses(onlyData.results)).toEqual({ not_null_b_id: 'pass' });
  });
});

describe('unit test errors', () => {
  it('names the unit test, the YAML file and the fix for a missing input, an unknown column, and a non-parent input', async () => {
    const p = makeProject({
      'models/a.sql': "{{ config(materialized='table') }}select 1 as id",
      'models/z.sql': "{{ config(materialized='table') }}select 1 as id",
      'models/b.sql': "select id from {{ ref('a') }}",
      'models/e.sql': "{{ config(materialized='ephemeral') }}select 1 as id",
      'models/f.sql': "select id from {{ ref('e') }}",
      'models/unit.yml': `unit_tests:
  - name: no_columns
    model: f
    given:
      - input: ref('e')
        rows: []
    expect: {rows: []}
  - name: no_input
    model: b
    given: []
    expect: {rows: [{id: 1}]}
  - name: bad_column
    model: b
    given:
      - input: ref('a')
        rows: [{idd: 1}]
    expect: {rows: [{id: 1}]}
  - name: not_parent
    model: b
    given:
      - input: ref('z')
        rows: [{id: 1}]
    expect: {rows: [{id: 1}]}
  - name: bad_expect
    model: b
    given:
      - input: ref('a')
        rows: [{id: 1}]
    expect: {rows: [{nope: 1}]}
`,
    });
    await run(p.opts);
    const r = await test({ ...p.opts, select: ['test_type:unit'] });
    const m = Object.fromEntries(r.results.map((x) => [x.node.name, `${x.status}|${x.error?.code}|${x.message}`]));
    expect(m).toEqual({
      no_columns: "error|UNIT_TEST_INVALID|models/unit.yml: Unit test 'no_columns': given input ref('e') has no rows and its relation does not exist, so its columns are unknown\n  Give at least one row, use format: sql, or build the input first (e.g. tsdbt run --empty).",
      no_input: "error|UNIT_TEST_INVALID|models/unit.yml: Unit test 'no_input' gives no input for ref('a'), which model 'b' reads\n  Add it under given:, e.g.\n  - input: ref('a')\n    rows: []",
      bad_column: "error|UNIT_TEST_INVALID|models/unit.yml: Invalid column name: 'idd' in unit test fixture for ref('a') of unit test 'bad_column'\n  Accepted columns for ref('a') are: id",
      not_parent: "error|UNIT_TEST_INVALID|models/unit.yml: Unit test 'not_parent': given input ref('z') is not a direct parent of model 'b'\n  Give only what the model reads: ref('a').",
      bad_expect: "error|UNIT_TEST_INVALID|models/unit.yml: Unit test 'bad_expect' expects column 'nope', which model 'b' does not return\n  The model's columns are: id",
    });
  });
});
