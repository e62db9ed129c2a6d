import { describe, expect, it } from 'vitest';
import { duckdbSemanticDialect } from '../../src/adapters/duckdb/semantic-dialect.js';
import { openTargetConnection } from '../../src/api/open-connection.js';
import { openSemanticLayer } from '../../src/api/semantic.js';
import { runCli } from '../../src/cli/main.js';
import { TsdbtError, TsdbtErrorList } from '../../src/errors/tsdbt-error.js';
import { buildSemanticManifest } from '../../src/semantic/load-semantic.js';
import { SemanticLayer } from '../../src/semantic/semantic-layer.js';
import type { SemanticManifest } from '../../src/semantic/types.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';

/** The same semantic layer in dbt's legacy spec and in the latest (dbt 1.12 / Fusion) spec. */
const LEGACY = `semantic_models:
  - name: orders
    model: ref('orders')
    defaults: {agg_time_dimension: ordered_at}
    entities:
      - {name: order, type: primary, expr: order_id}
      - {name: customer, type: foreign, expr: customer_id}
    dimensions:
      - {name: ordered_at, type: time, type_params: {time_granularity: day}}
      - {name: status, type: categorical}
      - {name: is_large, type: categorical, expr: amount >= 100}
    measures:
      - {name: revenue, agg: sum, expr: amount}
      - {name: order_count, agg: count, expr: order_id}
      - {name: p90_amount, agg: percentile, expr: amount, agg_params: {percentile: 0.9, use_discrete_percentile: true}}
  - name: customers
    model: ref('customers')
    defaults: {agg_time_dimension: signed_up_at}
    entities:
      - {name: customer, type: primary, expr: id}
    dimensions:
      - {name: country, type: categorical}
      - {name: signed_up_at, type: time, type_params: {time_granularity: day}}
    measures:
      - {name: balance, agg: sum, non_additive_dimension: {name: signed_up_at, window_choice: max, window_groupings: [customer]}}
metrics:
  - {name: revenue, label: Revenue, type: simple, type_params: {measure: {name: revenue, fill_nulls_with: 0}}, meta: {unit: usd}}
  - {name: order_count, label: Orders, type: simple, type_params: {measure: order_count}}
  - {name: p90_amount, label: P90 amount, type: simple, type_params: {measure: p90_amount}}
  - {name: balance, label: Balance, type: simple, type_params: {measure: balance}}
  - {name: revenue_per_order, label: Revenue per order, type: ratio, type_params: {numerator: revenue, denominator: order_count}}
  - name: revenue_growth
    label: Revenue growth
    type: derived
    type_params:
      expr: revenue - revenue_last_week
      metrics: [revenue, {name: revenue, alias: revenue_last_week, offset_window: 1 week}]
  - {name: revenue_7d, label: Revenue 7d, type: cumulative, type_params: {measure: revenue, cumulative_type_params: {window: 7 days}}}
  - name: repeat_rate
    label: Repeat rate
    type: conversion
    type_params:
      conversion_type_params: {base_measure: order_count, conversion_measure: order_count, entity: customer, window: 30 days}
`;

const LATEST = `models:
  - name: orders
    description: null
    semantic_model: true
    agg_time_dimension: ordered_at
    columns:
      - {name: order_id, entity: {type: primary, name: order}}
      - {name: customer_id, entity: {type: foreign, name: customer}}
      - {name: ordered_at, granularity: day, dimension: time}
      - {name: status, dimension: categorical}
    derived_semantics:
      dimensions:
        - {name: is_large, type: categorical, expr: amount >= 100}
    metrics:
      - {name: revenue, label: Revenue, type: simple, agg: sum, expr: amount, fill_nulls_with: 0, config: {meta: {unit: usd}}}
      - {name: order_count, label: Orders, agg: count, expr: order_id}
      - {name: p90_amount, label: P90 amount, type: simple, agg: percentile, expr: amount, percentile: 0.9, percentile_type: discrete}
      - {name: revenue_per_order, label: Revenue per order, type: ratio, numerator: revenue, denominator: order_count}
      - {name: revenue_7d, label: Revenue 7d, type: cumulative, input_metric: revenue, window: 7 days}
      - {name: repeat_rate, label: Repeat rate, type: conversion, base_metric: order_count, conversion_metric: order_count, entity: customer, window: 30 days}
  - name: customers
    semantic_model: {enabled: true}
    agg_time_dimension: signed_up_at
    columns:
      - {name: id, entity: {type: primary, name: customer}}
      - {name: country, dimension: {type: categorical}}
      - {name: signed_up_at, granularity: day, dimension: time}
    metrics:
      - {name: balance, label: Balance, type: simple, agg: sum, non_additive_dimension: {name: signed_up_at, window_agg: max, group_by: [customer]}}
metrics:
  - name: revenue_growth
    label: Revenue growth
    type: derived
    expr: revenue - revenue_last_week
    input_metrics: [{name: revenue}, {name: revenue, alias: revenue_last_week, offset_window: 1 week}]
`;

/** The manifest without locations, in a fixed order (what the compiler sees). */
function shape(m: SemanticManifest) {
  const strip = <T extends object>(x: T) => { const { file: _f, line: _l, ...rest } = x as T & { file?: string; line?: number }; return rest; };
  return {
    semanticModels: m.semanticModels.map((s) => ({ ...strip(s), measures: s.measures.map((x) => ({ ...x, label: null, description: null })) })).sort((a, b) => a.name.localeCompare(b.name)),
    metrics: m.metrics.map(strip).sort((a, b) => a.name.localeCompare(b.name)),
  };
}

const errorsOf = (files: { file: string; text: string }[], known: string[]) => {
  try { buildSemanticManifest(files, 'p', new Set(known)); } catch (e) {
    return (e instanceof TsdbtErrorList ? e.errors : [e as TsdbtError]).map((x) => `${x.file}:${x.line}: [${x.code}] ${x.message}${x.hint ? ` (${x.hint})` : ''}`);
  }
  return [];
};

describe('the latest semantic spec (dbt 1.12 / Fusion)', () => {
  const known = new Set(['orders', 'customers', 'spine']);
  const spine = { file: 'models/spine.yml', text: 'models:\n  - name: spine\n    time_spine: {standard_granularity_column: date_day}\n    columns: [{name: date_day, granularity: day}]\n' };
  const legacy = buildSemanticManifest([{ file: 'models/legacy.yml', text: LEGACY }, spine], 'p', known);
  const latest = buildSemanticManifest([{ file: 'models/latest.yml', text: LATEST }, spine], 'p', known);

  it('reads into the same internal model as the legacy spec, and compiles to the same SQL', () => {
    expect(shape(latest)).toEqual(shape(legacy));
    const a = new SemanticLayer(legacy, duckdbSemanticDialect, (n) => n);
    const b = new SemanticLayer(latest, duckdbSemanticDialect, (n) => n);
    for (const metrics of [['revenue', 'p90_amount'], ['revenue_per_order'], ['revenue_growth'], ['revenue_7d'], ['repeat_rate'], ['balance']]) {
      const q = { metrics, groupBy: ['metric_time__week', 'customer__country'] };
      expect(b.compile(q).sql, metrics.join()).toBe(a.compile(q).sql);
    }
  });

  it('reports shape errors located at the model YAML', () => {
    const bad = `models:
  - name: orders
    semantic_model: true
    agg_time_dimension: ordered_at
    columns:
      - {name: order_id, entity: {type: primry}}
      - {name: ordered_at, dimension: time}
    metrics:
      - {name: revenue, agg: summ, expr: amount}
      - {name: r7, type: cumulative, window: 7 days}
      - {agg: sum}
metrics:
  - {name: loose, type: simple, agg: sum, expr: amount}
`;
    expect(errorsOf([{ file: 'models/m.yml', text: bad }], ['orders'])).toEqual([
      "models/m.yml:13: [SEMANTIC_INVALID] simple metric 'loose' is declared outside a model (Declare simple metrics under the `metrics:` of the model whose semantic_model they aggregate.)",
      "models/m.yml:6: [SEMANTIC_INVALID] column 'order_id' of model 'orders' has entity type 'primry' (An entity type is primary, unique, foreign or natural.)",
      "models/m.yml:7: [SEMANTIC_INVALID] column 'ordered_at' of model 'orders' is a time dimension without granularity (day, week, month, quarter or year) (Add `granularity: day` to the column.)",
      "models/m.yml:9: [SEMANTIC_INVALID] simple metric 'revenue' of model 'orders' has agg 'summ' (agg is one of sum, count, count_distinct, avg, min, max, median, percentile, sum_boolean (a simple metric needs one).)",
      "models/m.yml:10: [SEMANTIC_INVALID] cumulative metric 'r7' needs input_metric (Name the simple metric it accumulates: `input_metric: order_total`.)",
      "models/m.yml:11: [SEMANTIC_INVALID] metrics entry 3 of model 'orders' has no name (Give every metric a `name:`.)",
    ]);
  });

  it('validates references of conversion metrics and non_additive_dimension, with a did-you-mean', () => {
    const text = LEGACY.replace('entity: customer, window: 30 days', 'entity: custmer, window: 30 days').replace('window_groupings: [customer]', 'window_groupings: [custome]').replace("{name: signed_up_at, window_choice: max", "{name: signed_up, window_choice: max");
    expect(errorsOf([{ file: 'models/sl.yml', text }], ['orders', 'customers'])).toEqual([
      "models/sl.yml:16: [SEMANTIC_INVALID] measure 'balance' of semantic model 'customers': non_additive_dimension 'signed_up' is not a time dimension of it (Did you mean 'signed_up_at'?)",
      "models/sl.yml:16: [SEMANTIC_INVALID] measure 'balance' of semantic model 'customers': window grouping 'custome' is not one of its entities (Did you mean 'customer'?)",
      "models/sl.yml:39: [SEMANTIC_INVALID] conversion metric 'repeat_rate': entity 'custmer' is not an entity of the base measure's semantic model 'orders' (Did you mean 'customer'?)",
      "models/sl.yml:39: [SEMANTIC_INVALID] conversion metric 'repeat_rate': entity 'custmer' is not an entity of the conversion measure's semantic model 'orders' (Did you mean 'customer'?)",
    ]);
  });

  it('answers queries on DuckDB from a project written in the latest spec', async () => {
    const dir = makeProject({
      'profiles.yml': `test_profile:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: "test.duckdb"\n      schema: main\n      threads: 1\n`,
      'dbt_project.yml': 'name: latest\nversion: "1.0.0"\nconfig-version: 2\nprofile: test_profile\n',
      'models/orders.sql': "select * from (values (1, 10, 50, 'shipped', date '2024-01-01'), (2, 10, 150, 'shipped', date '2024-01-03'), (3, 11, 100, 'returned', date '2024-01-09')) as t(order_id, customer_id, amount, status, ordered_at)",
      'models/customers.sql': "select * from (values (10, 'US', date '2023-12-01'), (11, 'FR', date '2023-12-02')) as t(id, country, signed_up_at)",
      'models/spine.sql': "select cast(range as date) as date_day from range(date '2023-12-01', date '2024-02-01', interval 1 day)",
      'models/latest.yml': LATEST,
      'models/spine.yml': 'models:\n  - name: spine\n    time_spine: {standard_granularity_column: date_day}\n    columns: [{name: date_day, granularity: day}]\n',
    }, 'latest');
    const io = captureStreams();
    expect(await runCli(['build', '--project-dir', dir], io.streams, {})).toBe(0);
    const { layer, loaded } = await openSemanticLayer({ projectDir: dir });
    const { connection, close } = await openTargetConnection(loaded);
    try {
      // A conversion from orders to orders of the same customer: each order converts to itself (MetricFlow's self-join).
      const res = await layer.execute(connection, { metrics: ['revenue', 'order_count', 'repeat_rate'], groupBy: ['country'], orderBy: ['customer__country'] });
      expect(res.result.rows.map((r) => r.map((v) => (typeof v === 'bigint' ? Number(v) : v)))).toEqual([['FR', 100, 1, 1], ['US', 200, 2, 1]]);
    } finally {
      await close();
    }
    const v = captureStreams();
    expect(await runCli(['sl', 'validate', '--project-dir', dir], v.streams, {}), v.stderr.join('') + v.stdout.join('')).toBe(0);
    expect(v.stdout.join('')).toContain('2 semantic models, 8 metrics, 0 saved queries: valid');
  }, 60_000);
});
