import { describe, expect, it } from 'vitest';
import { openTargetConnection } from '../../src/api/open-connection.js';
import { openSemanticLayer } from '../../src/api/semantic.js';
import { snowflakeSemanticDialect } from '../../src/adapters/snowflake/semantic-dialect.js';
import { runCli } from '../../src/cli/main.js';
import { TsdbtError, TsdbtErrorList } from '../../src/errors/tsdbt-error.js';
import { buildSemanticManifest } from '../../src/semantic/load-semantic.js';
import { SemanticLayer } from '../../src/semantic/semantic-layer.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';

const SEMANTIC = `
semantic_models:
  - name: orders
    model: ref('orders')
    defaults: {agg_time_dimension: ordered_at}
    entities:
      - {name: order, type: primary, expr: order_id}
      - {name: customer, type: foreign, expr: customer_id}
    dimensions:
      - {name: ordered_at, type: time, type_params: {time_granularity: day}}
      - {name: status, type: categorical}
    measures:
      - {name: order_total, agg: sum, expr: amount}
      - {name: order_count, agg: count, expr: order_id}
      - {name: big_orders, agg: sum_boolean, expr: amount >= 100}
  - name: customers
    model: ref('customers')
    entities:
      - {name: customer, type: primary, expr: id}
      - {name: region, type: foreign, expr: region_code}
    dimensions:
      - {name: country, type: categorical}
  - name: regions
    model: ref('regions')
    entities:
      - {name: region, type: primary, expr: code}
    dimensions:
      - {name: continent, type: categorical}
metrics:
  - {name: revenue, label: Revenue, type: simple, type_params: {measure: order_total}, meta: {unit: usd, category: sales}}
  - {name: orders, label: Orders, type: simple, type_params: {measure: order_count}}
  - {name: big_order_share, label: Big order share, type: ratio, type_params: {numerator: big_orders_m, denominator: orders}}
  - {name: big_orders_m, label: Big orders, type: simple, type_params: {measure: big_orders}}
  - {name: revenue_per_order, label: Revenue per order, type: derived, type_params: {expr: revenue / orders, metrics: [revenue, orders]}}
  - name: revenue_trailing_2d
    label: Revenue trailing 2 days
    type: cumulative
    type_params: {measure: order_total, cumulative_type_params: {window: 2 days}}
  - name: shipped_revenue
    label: Shipped revenue
    type: simple
    type_params: {measure: {name: order_total, fill_nulls_with: 0, join_to_timespine: true}}
    filter: "{{ Dimension('order__status') }} = 'shipped'"
saved_queries:
  - name: revenue_by_country
    query_params:
      metrics: [revenue, orders]
      group_by: ["{{ Dimension('customer__country') }}"]
      order_by: [customer__country]
models:
  - name: spine
    time_spine: {standard_granularity_column: date_day}
    columns:
      - {name: date_day, granularity: day}
`;

describe('semantic layer queries on DuckDB', () => {
  it('answers simple, ratio, derived, cumulative and spine-joined metrics with joins two hops away', async () => {
    const dir = makeProject({
      'profiles.yml': `test_profile:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: "test.duckdb"\n      schema: main\n      threads: 1\n`,
      'dbt_project.yml': 'name: sl\nversion: "1.0.0"\nconfig-version: 2\nprofile: test_profile\nseeds:\n  sl:\n    +schema: raw\n',
      'seeds/raw_orders.csv': 'order_id,customer_id,amount,status,ordered_at\n1,10,50,shipped,2024-01-01\n2,10,150,shipped,2024-01-01\n3,11,100,returned,2024-01-02\n4,12,20,shipped,2024-01-04\n5,99,5,shipped,2024-01-04\n',
      'seeds/raw_customers.csv': 'id,country,region_code\n10,US,NA\n11,FR,EU\n12,US,NA\n',
      'seeds/raw_regions.csv': 'code,continent\nNA,America\nEU,Europe\n',
      'models/orders.sql': "{{ config(materialized='ephemeral') }}\nselect order_id, customer_id, amount, status, cast(ordered_at as date) as ordered_at from {{ ref('raw_orders') }}",
      'models/customers.sql': "select * from {{ ref('raw_customers') }}",
      'models/regions.sql': "select * from {{ ref('raw_regions') }}",
      'models/spine.sql': "select cast(range as date) as date_day from range(date '2023-12-25', date '2024-01-10', interval 1 day)",
      'models/semantic.yml': SEMANTIC,
    }, 'sl');
    const io = captureStreams();
    expect(await runCli(['build', '--project-dir', dir], io.streams, {})).toBe(0);
    const { layer, loaded } = await openSemanticLayer({ projectDir: dir });
    const { connection, close } = await openTargetConnection(loaded);
    const rows = async (q: Parameters<SemanticLayer['compile']>[0]) => (await layer.execute(connection, q)).result.rows.map((r) => r.map((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : typeof v === 'bigint' ? Number(v) : v)));
    try {
      // Two hops: order -> customer -> region; the unknown customer 99 lands in a null group, nothing double counts.
      expect(await rows({ metrics: ['revenue', 'orders'], groupBy: ['customer__region__continent'], orderBy: ['customer__region__continent'] })).toEqual([
        ['America', 220, 3], ['Europe', 100, 1], [null, 5, 1],
      ]);
      expect(await rows({ metrics: ['big_order_share', 'revenue_per_order'], groupBy: ['metric_time__day'], orderBy: ['metric_time__day'] })).toEqual([
        ['2024-01-01', 0.5, 100], ['2024-01-02', 1, 100], ['2024-01-04', 0, 12.5],
      ]);
      expect(await rows({ metrics: ['revenue_trailing_2d'], groupBy: ['metric_time__day'], orderBy: ['metric_time__day'], startTime: '2024-01-01', endTime: '2024-01-05' })).toEqual([
        ['2024-01-01', 200], ['2024-01-02', 300], ['2024-01-03', 100], ['2024-01-04', 25], ['2024-01-05', 25],
      ]);
      expect(await rows({ metrics: ['shipped_revenue'], groupBy: ['metric_time__day'], orderBy: ['metric_time__day'], startTime: '2024-01-01', endTime: '2024-01-04' })).toEqual([
        ['2024-01-01', 200], ['2024-01-02', 0], ['2024-01-03', 0], ['2024-01-04', 25],
      ]);
      expect(await rows({ ...layer.savedQuery('revenue_by_country'), where: ["{{ Dimension('order__status') }} = 'shipped'"] })).toEqual([
        ['US', 220, 3], [null, 5, 1],
      ]);
      // The filter's literal is a bind, never SQL text.
      const compiled = layer.compile({ metrics: ['revenue'], groupBy: ['customer__country'], where: ["{{ Dimension('customer__country') }} = 'US'' or 1=1 --'"] });
      expect(compiled.binds).toEqual(["US' or 1=1 --"]);
      expect(compiled.sql).not.toContain('1=1');
      expect(await rows({ metrics: ['revenue'], groupBy: ['customer__country'], where: ["{{ Dimension('customer__country') }} = 'US'' or 1=1 --'"] })).toEqual([]);
      // Byte-identical SQL for the same query; goldens per dialect.
      const q = { metrics: ['revenue', 'big_order_share'], groupBy: ['metric_time__week', 'customer__country'], where: ["{{ Dimension('order__status') }} = 'shipped'"], orderBy: ['-revenue'], limit: 10 };
      expect(layer.compile(q).sql).toBe(layer.compile(q).sql);
      await expect(layer.compile(q).sql + '\n').toMatchFileSnapshot('golden/revenue-by-week-country.duckdb.sql');
      const sf = new SemanticLayer(layer.manifest, snowflakeSemanticDialect, (m) => `ANALYTICS.MAIN.${m.toUpperCase()}`);
      await expect(sf.compile(q).sql + '\n').toMatchFileSnapshot('golden/revenue-by-week-country.snowflake.sql');
      await expect(sf.compile({ metrics: ['revenue_trailing_2d'], groupBy: ['metric_time__week'] }).sql + '\n').toMatchFileSnapshot('golden/cumulative-week.snowflake.sql');

      // Bad queries: stable codes, the offending part quoted, the fix.
      const fail = (fn: () => unknown) => { try { fn(); } catch (e) { return e as TsdbtError; } throw new Error('expected an error'); };
      expect(fail(() => layer.compile({ metrics: ['revnue'] }))).toMatchObject({ code: 'QUERY_UNKNOWN_METRIC', message: "unknown metric 'revnue'", hint: "Did you mean 'revenue'?" });
      expect(fail(() => layer.compile({ metrics: ['revenue'], groupBy: ['customer__contry'] }))).toMatchObject({ code: 'QUERY_UNKNOWN_GROUP_BY', hint: "Did you mean 'customer__country'?" });
      expect(fail(() => layer.compile({ metrics: ['revenue'], limit: 0 })).code).toBe('QUERY_LIMIT');
      expect(fail(() => layer.compile({ metrics: ['revenue'], startTime: '2024-02-01', endTime: '2024-01-01' })).code).toBe('QUERY_TIME_RANGE');
      expect(fail(() => layer.compile({ metrics: ['revenue'], where: ['1=1) union select 1'] })).code).toBe('QUERY_FILTER');
      // The CLI: exit 2 with the validator's message; --output json rows.
      const bad = captureStreams();
      expect(await runCli(['sl', 'query', '--project-dir', dir, '--metrics', 'revnue'], bad.streams, {})).toBe(2);
      expect(bad.stderr.join('') + bad.stdout.join('')).toContain("unknown metric 'revnue'");
    } finally {
      await close();
    }
    const json = captureStreams();
    expect(await runCli(['sl', 'query', '--project-dir', dir, '--metrics', 'revenue', '--group-by', 'customer__country', '--order', '-revenue', '--output', 'json'], json.streams, {})).toBe(0);
    expect(JSON.parse(json.stdout.join(''))).toEqual([{ customer__country: 'US', revenue: 220 }, { customer__country: 'FR', revenue: 100 }, { customer__country: null, revenue: 5 }]);
  }, 60_000);
});

describe('semantic validation at parse', () => {
  it('reports unknown refs with a did-you-mean, duplicates, cycles, empty derived exprs and a non-time agg_time_dimension, located', () => {
    const yaml = `semantic_models:
  - name: orders
    model: ref('orders')
    defaults: {agg_time_dimension: status}
    entities: [{name: order, type: primary}]
    dimensions:
      - {name: status, type: categorical}
    measures:
      - {name: order_total, agg: sum}
metrics:
  - {name: revenue, type: simple, type_params: {measure: order_totl}}
  - {name: revenue, type: simple, type_params: {measure: order_total}}
  - {name: a, type: derived, type_params: {expr: b + 1, metrics: [b]}}
  - {name: b, type: derived, type_params: {expr: a * 2, metrics: [a]}}
  - {name: c, type: derived, type_params: {expr: 42, metrics: [revenue]}}
`;
    let err: unknown;
    try { buildSemanticManifest([{ file: 'models/sl.yml', text: yaml }], 'p', new Set(['orders'])); } catch (e) { err = e; }
    const messages = (err as TsdbtErrorList).errors.map((e) => `${e.file}:${e.line}: [${e.code}] ${e.message}${e.hint ? ` (${e.hint})` : ''}`);
    expect(messages).toEqual([
      "models/sl.yml:12: [SEMANTIC_INVALID] duplicate metric 'revenue' (also defined at models/sl.yml:11) (Rename one of them: metric names are unique in a project.)",
      "models/sl.yml:2: [SEMANTIC_INVALID] semantic model 'orders': defaults.agg_time_dimension 'status' is a categorical dimension, not a time dimension (agg_time_dimension must name a dimension of type: time.)",
      "models/sl.yml:11: [SEMANTIC_INVALID] metric 'revenue' refers to unknown measure 'order_totl' (Did you mean 'order_total'?)",
      "models/sl.yml:15: [SEMANTIC_INVALID] derived metric 'c': expr '42' references none of its input metrics (revenue) (Use the input metrics (or their aliases) in expr.)",
      "models/sl.yml:13: [SEMANTIC_INVALID] metric cycle: a -> b -> a (A metric cannot depend on itself; remove one input of the cycle.)",
    ]);
  });
});
