/**
 * Edges of issue 11's bullets checked against dbt-core 1.10 in a second
 * pass, each in a tiny project in a real DuckDB.
 */
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/cli/api-wrappers.js';
import { run } from '../../src/api/run.js';
import { runCli } from '../../src/cli/main.js';
import { captureStreams } from '../support/project-fixture.js';
import { makeProject, statuses } from '../execute/harness.js';

const PKG = `name: pkg
config-version: 2
vars:
  p_global: pkg-global
  both: pkg-global-both
  pkg:
    p_scoped: pkg-scoped
    over: pkg-scoped
models:
  pkg:
    +materialized: table
    off:
      +enabled: false
`;

describe('vars across the root project and a package (dbt: --vars, root scoped, root global, package scoped, package global)', () => {
  it("a root global var wins over the package's own scoped one; root-scoped vars reach only that package", async () => {
    const p = makeProject({
      'dbt_project.yml': 'name: proj\nprofile: proj\nconfig-version: 2\nvars:\n  over: root-global\n  both: root-global-both\n  pkg:\n    both: root-scoped-both\n    s_root: root-scoped\n',
      'dbt_packages/pkg/dbt_project.yml': PKG,
      'dbt_packages/pkg/models/pv.sql':
        "select '{{ var(\"over\") }}' as over_, '{{ var(\"both\") }}' as both_, '{{ var(\"s_root\") }}' as s_root, '{{ var(\"p_global\") }}' as p_global, '{{ var(\"p_scoped\") }}' as p_scoped",
      'models/rv.sql': "select '{{ var(\"both\") }}' as both_, '{{ var(\"s_root\", \"none\") }}' as s_root, '{{ var(\"p_global\", \"none\") }}' as p_global",
    });
    expect((await run(p.opts)).success).toBe(true);
    expect(await p.query('select * from pv')).toEqual([{ over_: 'root-global', both_: 'root-scoped-both', s_root: 'root-scoped', p_global: 'pkg-global', p_scoped: 'pkg-scoped' }]);
    expect(await p.query('select * from rv')).toEqual([{ both_: 'root-global-both', s_root: 'none', p_global: 'none' }]);
    // --vars given as text (YAML, as dbt's yaml.safe_load reads it): wins everywhere; a key given twice keeps its last value.
    expect((await run({ ...p.opts, vars: '{both: one, both: cli}' })).success).toBe(true);
    expect(await p.query('select (select both_ from pv) as p, (select both_ from rv) as r')).toEqual([{ p: 'cli', r: 'cli' }]);
  });

  it("a package folder disabled in its own dbt_project.yml is built when the root project enables it", async () => {
    const p = makeProject({
      'dbt_project.yml': 'name: proj\nprofile: proj\nconfig-version: 2\nmodels:\n  pkg:\n    off:\n      +enabled: true\n',
      'dbt_packages/pkg/dbt_project.yml': PKG,
      'dbt_packages/pkg/models/off/offm.sql': 'select 1 as x',
    });
    const r = await run(p.opts);
    expect(statuses(r.results)).toEqual({ offm: 'success' });
    // Still the package's own materialization: only `enabled` was overridden.
    expect(await p.query("select table_type from information_schema.tables where table_name = 'offm'")).toEqual([{ table_type: 'BASE TABLE' }]);
  });
});

describe('generic tests: a config key both among the arguments and under config:', () => {
  it("is dbt's SameKeyNestedError, located; a falsy value among the arguments is not", async () => {
    const yml = (inline: string) => `version: 2\nmodels:\n  - name: m\n    columns:\n      - name: id\n        data_tests:\n          - not_null:\n              ${inline}\n              config: {where: "id > 0"}\n`;
    const p = makeProject({ 'models/m.sql': 'select 1 as id', 'models/m.yml': yml('where: "1=1"') });
    const err = await parse(p.opts).then(() => undefined, (e: unknown) => e as { format(): string });
    expect(err!.format()).toContain("models/m.yml:7: Test cannot have the same key at the top-level and in config: 'where' of test 'not_null'");
    p.write({ 'models/m.yml': yml('where: ""') });
    const m = (await parse(p.opts)).manifest;
    expect(Object.values(m.nodes).find((n) => n.resource_type === 'test')!.config.where).toBe('id > 0');
  });
});

describe('ls over every resource type, as dbt 1.10 lists them', () => {
  const SCHEMA = `version: 2
sources:
  - name: raw
    tables: [{name: t1}]
models:
  - name: orders
    columns:
      - name: id
        data_tests: [unique]
  - name: metricflow_time_spine
    time_spine: {standard_granularity_column: date_day}
    columns: [{name: date_day, granularity: day}]
exposures:
  - name: dash
    type: dashboard
    owner: {email: a@example.com}
    depends_on: [ref('orders')]
semantic_models:
  - name: orders_sm
    model: ref('orders')
    defaults: {agg_time_dimension: ts}
    entities: [{name: order, type: primary, expr: id}]
    dimensions: [{name: ts, type: time, type_params: {time_granularity: day}}]
    measures: [{name: amount_sum, agg: sum, expr: amount}]
metrics:
  - name: revenue
    label: Revenue
    type: simple
    type_params: {measure: amount_sum}
saved_queries:
  - name: rev_q
    query_params:
      metrics: [revenue]
      group_by: ["TimeDimension('order__ts', 'day')"]
unit_tests:
  - name: ut_orders
    model: orders
    given: []
    expect: {rows: [{id: 1}]}
`;
  const files = {
    'models/sub/orders.sql': "select 1 as id, cast('2024-01-01' as timestamp) as ts, 10 as amount",
    'models/sub/metricflow_time_spine.sql': "select cast('2024-01-01' as date) as date_day",
    'models/sub/schema.yml': SCHEMA,
    'seeds/sd.csv': 'id\n1\n',
    'analyses/an.sql': "select * from {{ ref('orders') }}",
    'snapshots/snap.sql': "{% snapshot snap %}{{ config(target_schema='main', unique_key='id', strategy='check', check_cols='all') }}select * from {{ ref('orders') }}{% endsnapshot %}",
  };
  async function cli(args: string[], dir: string): Promise<string[]> {
    const io = captureStreams();
    expect(await runCli([...args, '--project-dir', dir, '--profiles-dir', dir, '--quiet'], io.streams, {})).toBe(0);
    return io.stdout.join('').split('\n').filter((l) => l !== '');
  }

  it('selector, name and path outputs include metrics, semantic models and saved queries (dbt default selection: fqn:* covers all but sources)', async () => {
    const p = makeProject(files);
    const selectors = [
      'exposure:proj.dash',
      'metric:proj.revenue',
      'proj.sub.metricflow_time_spine',
      'proj.sub.orders',
      'saved_query:proj.rev_q',
      'proj.sd',
      'semantic_model:proj.orders_sm',
      'proj.snap',
      'source:proj.raw.t1',
      'proj.sub.unique_orders_id',
      'unit_test:proj.ut_orders',
    ];
    // Twice: a full parse, then the parse cache's selection index.
    expect(await cli(['ls'], p.dir)).toEqual(selectors);
    expect(await cli(['ls'], p.dir)).toEqual(selectors);
    expect(await cli(['ls', '--output', 'name'], p.dir)).toEqual(['dash', 'revenue', 'metricflow_time_spine', 'orders', 'rev_q', 'sd', 'orders_sm', 'snap', 'raw.t1', 'unique_orders_id', 'ut_orders']);
    expect(await cli(['ls', '--output', 'path', '--resource-type', 'metric', 'saved_query', 'semantic_model', 'seed'], p.dir)).toEqual([
      'models/sub/schema.yml', 'models/sub/schema.yml', 'seeds/sd.csv', 'models/sub/schema.yml',
    ]);
    expect(await cli(['ls', '--resource-type', 'analysis'], p.dir)).toEqual(['proj.analysis.an']);
    // A metric, an exposure and a saved query are selected by name (dbt's fqn method).
    expect(await cli(['ls', '-s', 'revenue', 'dash', 'rev_q'], p.dir)).toEqual(['exposure:proj.dash', 'metric:proj.revenue', 'saved_query:proj.rev_q']);
    expect((await cli(['ls', '--output', 'json', '--output-keys', 'unique_id,resource_type', '-s', 'revenue', 'orders_sm'], p.dir)).map((l) => JSON.parse(l))).toEqual([
      { unique_id: 'metric.proj.revenue', resource_type: 'metric' },
      { unique_id: 'semantic_model.proj.orders_sm', resource_type: 'semantic_model' },
    ]);
    const io = captureStreams();
    await runCli(['parse', '--project-dir', p.dir, '--profiles-dir', p.dir, '--no-partial-parse'], io.streams, {});
    expect(io.stdout.join('')).toMatch(/Found 2 models, 1 snapshot, 1 analysis, 1 seed, 1 test, 1 source, 1 exposure, 1 metric, \d+ macros, 1 semantic model, 1 saved query, 1 unit test\n/);
  });
});

describe('adapter.dispatch errors, worded as dbt', () => {
  it('a dotted macro name and a macro found nowhere', async () => {
    const p = makeProject({ 'models/m.sql': 'select 1 as id' });
    const { compile } = await import('../../src/api/compile.js');
    await expect(compile({ ...p.opts, inline: "{{ adapter.dispatch('dbt.nope')() }}" })).rejects.toThrow(
      'In adapter.dispatch, got a macro name of "dbt.nope", but "." is not a valid macro name component. Did you mean `adapter.dispatch("nope", macro_namespace="dbt")`?',
    );
    await expect(compile({ ...p.opts, inline: "{{ adapter.dispatch('nope')() }}" })).rejects.toThrow("In dispatch: No macro named 'nope' found within namespace: 'None'");
  });
});
