import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTargetConnection } from '../../src/api/open-connection.js';
import { openSemanticLayer } from '../../src/api/semantic.js';
import { snowflakeSemanticDialect } from '../../src/adapters/snowflake/semantic-dialect.js';
import type { Connection } from '../../src/adapters/base/connection.js';
import { runCli } from '../../src/cli/main.js';
import type { TsdbtError } from '../../src/errors/tsdbt-error.js';
import { buildSemanticManifest } from '../../src/semantic/load-semantic.js';
import type { SemanticQuery } from '../../src/semantic/query-spec.js';
import { SemanticLayer } from '../../src/semantic/semantic-layer.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';

/**
 * Conversion metrics, Metric() filters, semi-additive measures, custom
 * granularities and short group-by names, on a real DuckDB, with the SQL
 * pinned by DuckDB and Snowflake goldens.
 */
const SEMANTIC = `
semantic_models:
  - name: visits
    model: ref('visits')
    defaults: {agg_time_dimension: ds}
    entities:
      - {name: visit, type: primary, expr: visit_id}
      - {name: user, type: foreign, expr: user_id}
    dimensions:
      - {name: ds, type: time, type_params: {time_granularity: day}}
      - {name: referrer, type: categorical}
      - {name: product, type: categorical}
    measures:
      - {name: visits, agg: sum, expr: "1"}
  - name: buys
    model: ref('buys')
    defaults: {agg_time_dimension: ds}
    entities:
      - {name: buy, type: primary, expr: buy_id}
      - {name: user, type: foreign, expr: user_id}
    dimensions:
      - {name: ds, type: time, type_params: {time_granularity: day}}
      - {name: product, type: categorical}
    measures:
      - {name: buys, agg: sum, expr: "1"}
  - name: users
    model: ref('users')
    entities:
      - {name: user, type: primary, expr: user_id}
    dimensions:
      - {name: country, type: categorical}
      - {name: referrer, type: categorical}
  - name: balances
    model: ref('balances')
    defaults: {agg_time_dimension: ds}
    entities:
      - {name: balance, type: primary, expr: "account_id || '-' || cast(ds as varchar)"}
      - {name: account, type: foreign, expr: account_id}
    dimensions:
      - {name: ds, type: time, type_params: {time_granularity: day}}
    measures:
      - {name: total_balance, agg: sum, expr: balance, non_additive_dimension: {name: ds, window_choice: max}}
      - {name: latest_balance, agg: sum, expr: balance, non_additive_dimension: {name: ds, window_choice: max, window_groupings: [account]}}
      - {name: first_balance, agg: sum, expr: balance, non_additive_dimension: {name: ds, window_choice: min, window_groupings: [account]}}
metrics:
  - {name: visits, label: Visits, type: simple, type_params: {measure: visits}}
  - {name: buy_count, label: Buys, type: simple, type_params: {measure: buys}}
  - name: visit_buy_rate
    label: Visit to buy rate
    type: conversion
    type_params:
      conversion_type_params: {base_measure: visits, conversion_measure: buys, entity: user}
  - name: visit_buy_rate_7d
    label: Visit to buy rate (7 days)
    type: conversion
    type_params:
      conversion_type_params: {base_measure: visits, conversion_measure: buys, entity: user, window: 7 days}
  - name: visit_buys
    label: Visits that led to a buy
    type: conversion
    type_params:
      conversion_type_params: {base_measure: visits, conversion_measure: buys, entity: user, calculation: conversions}
  - name: visit_buys_filled
    label: Visits that led to a buy (0 when none)
    type: conversion
    type_params:
      conversion_type_params: {base_measure: visits, conversion_measure: {name: buys, fill_nulls_with: 0}, entity: user, calculation: conversions}
  - name: same_product_buys
    label: Visits that led to a buy of the same product
    type: conversion
    type_params:
      conversion_type_params:
        base_measure: {name: visits}
        conversion_measure: {name: buys}
        entity: user
        calculation: conversions
        constant_properties:
          - {base_property: product, conversion_property: product}
  - {name: total_balance, label: Total balance, type: simple, type_params: {measure: total_balance}}
  - {name: latest_balance, label: Latest balance, type: simple, type_params: {measure: latest_balance}}
  - {name: first_balance, label: First balance, type: simple, type_params: {measure: first_balance}}
models:
  - name: spine
    time_spine:
      standard_granularity_column: date_day
      custom_granularities:
        - {name: fiscal_quarter}
        - {name: fiscal_year, column_name: fy}
    columns:
      - {name: date_day, granularity: day}
      - {name: fiscal_quarter}
      - {name: fy}
`;

const FILES = {
  'profiles.yml': `test_profile:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: "test.duckdb"\n      schema: main\n      threads: 1\n`,
  'dbt_project.yml': 'name: adv\nversion: "1.0.0"\nconfig-version: 2\nprofile: test_profile\n',
  'seeds/raw_visits.csv': 'visit_id,user_id,ds,referrer,product\n1,u1,2024-01-01,google,p1\n2,u1,2024-01-03,bing,p2\n3,u2,2024-01-01,google,p1\n4,u3,2024-01-05,google,p1\n5,u4,2024-01-02,bing,p1\n6,u5,2024-02-02,google,p1\n',
  'seeds/raw_buys.csv': 'buy_id,user_id,ds,product\n1,u1,2024-01-04,p1\n2,u2,2024-01-20,p1\n3,u3,2024-01-04,p1\n',
  'seeds/users.csv': 'user_id,country,referrer\nu1,US,google\nu2,FR,bing\nu3,US,google\nu4,US,bing\nu5,FR,google\n',
  'seeds/raw_balances.csv': 'account_id,ds,balance\na1,2024-01-01,100\na1,2024-01-02,120\na2,2024-01-01,50\na2,2024-01-03,70\n',
  'models/visits.sql': "select visit_id, user_id, cast(ds as date) as ds, referrer, product from {{ ref('raw_visits') }}",
  'models/buys.sql': "select buy_id, user_id, cast(ds as date) as ds, product from {{ ref('raw_buys') }}",
  'models/balances.sql': "select account_id, cast(ds as date) as ds, balance from {{ ref('raw_balances') }}",
  'models/spine.sql': "select cast(range as date) as date_day, case when month(range) = 2 then 'FY25Q1' else 'FY24Q4' end as fiscal_quarter, case when month(range) = 2 then 'FY25' else 'FY24' end as fy from range(date '2023-12-25', date '2024-02-10', interval 1 day)",
  'models/semantic.yml': SEMANTIC,
};

let layer: SemanticLayer;
let connection: Connection;
let close: () => Promise<void>;
let dir: string;

beforeAll(async () => {
  dir = makeProject(FILES, 'adv');
  const io = captureStreams();
  expect(await runCli(['build', '--project-dir', dir], io.streams, {}), io.stderr.join('') + io.stdout.join('')).toBe(0);
  const opened = await openSemanticLayer({ projectDir: dir });
  layer = opened.layer;
  ({ connection, close } = await openTargetConnection(opened.loaded));
}, 60_000);
afterAll(async () => { await close?.(); });

const plain = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? Math.round(v * 1e6) / 1e6 : v);
const rows = async (q: SemanticQuery) => (await layer.execute(connection, q)).result.rows.map((r) => r.map(plain));
const fail = (fn: () => unknown) => { try { fn(); } catch (e) { return e as TsdbtError; } throw new Error('expected an error'); };
const snowflake = () => new SemanticLayer(layer.manifest, snowflakeSemanticDialect, (m) => `ANALYTICS.MAIN.${m.toUpperCase()}`);

describe('conversion metrics', () => {
  it('credits each conversion to the latest base event of the same entity at or before it, within the window', async () => {
    expect(await rows({ metrics: ['visits', 'visit_buy_rate', 'visit_buy_rate_7d'], groupBy: ['metric_time__day'], orderBy: ['metric_time__day'] })).toEqual([
      // u2 visits on 01-01 and buys on 01-20: a conversion without a window, outside 7 days.
      ['2024-01-01', 2, 0.5, null],
      ['2024-01-02', 1, null, null],
      // u1 visits on 01-01 and 01-03 and buys on 01-04: the buy counts once, for the 01-03 visit.
      ['2024-01-03', 1, 1, 1],
      // u3 buys (01-04) before visiting (01-05): no conversion.
      ['2024-01-05', 1, null, null],
      ['2024-02-02', 1, null, null],
    ]);
    // Group-by values come from the base event; conversions counts them.
    expect(await rows({ metrics: ['visit_buys'], groupBy: ['visit__referrer'], orderBy: ['visit__referrer'] })).toEqual([['bing', 1], ['google', 1]]);
    // fill_nulls_with on the conversion measure, as MetricFlow's visit_buy_conversions.
    expect(await rows({ metrics: ['visit_buys_filled'], groupBy: ['metric_time__day'], orderBy: ['metric_time__day'] })).toEqual([
      ['2024-01-01', 1], ['2024-01-02', 0], ['2024-01-03', 1], ['2024-01-05', 0], ['2024-02-02', 0],
    ]);
    // Constant properties: u1's buy of p1 matches the p1 visit (google, 01-01), not the later p2 one.
    expect(await rows({ metrics: ['same_product_buys'], groupBy: ['visit__referrer'], orderBy: ['visit__referrer'] })).toEqual([['bing', null], ['google', 2]]);
    // Joined dimensions on the base side, and a filter on the base events.
    expect(await rows({ metrics: ['visit_buy_rate'], groupBy: ['user__country'], orderBy: ['user__country'] })).toEqual([['FR', 0.5], ['US', 0.25]]);
    // The filter applies to base events first: without u1's bing visit, the 01-01 google visit gets its buy.
    expect(await rows({ metrics: ['visit_buys'], where: ["{{ Dimension('visit__referrer') }} = 'google'"] })).toEqual([[2]]);
    expect(await rows({ metrics: ['visit_buy_rate'], startTime: '2024-01-02', endTime: '2024-01-31' })).toEqual([[0.333333]]);

    const q: SemanticQuery = { metrics: ['visit_buy_rate_7d'], groupBy: ['metric_time__week', 'user__country'], where: ["{{ Dimension('visit__referrer') }} = 'google'"] };
    const duck = layer.compile(q);
    expect(duck.binds).toEqual(['google', 'google']);
    await expect(duck.sql + '\n').toMatchFileSnapshot('golden/conversion-7d.duckdb.sql');
    await expect(snowflake().compile(q).sql + '\n').toMatchFileSnapshot('golden/conversion-7d.snowflake.sql');
  });

  it('is read with its constant properties and written to semantic_manifest.json', () => {
    const m = layer.manifest.metrics.find((x) => x.name === 'same_product_buys')!;
    expect(m.conversion).toEqual({
      baseMeasure: { name: 'visits', filter: [], alias: null, fillNullsWith: null, joinToTimespine: false },
      conversionMeasure: { name: 'buys', filter: [], alias: null, fillNullsWith: null, joinToTimespine: false },
      entity: 'user', calculation: 'conversions', window: null, constantProperties: [{ baseProperty: 'product', conversionProperty: 'product' }],
    });
    // build wrote target/semantic_manifest.json with them, in dbt-semantic-interfaces' field names.
    const sm = JSON.parse(readFileSync(join(dir, 'target/semantic_manifest.json'), 'utf8'));
    expect(sm.metrics.find((x: { name: string }) => x.name === 'same_product_buys').type_params.conversion_type_params).toMatchObject({
      entity: 'user', calculation: 'conversions', window: null, constant_properties: [{ base_property: 'product', conversion_property: 'product' }],
    });
    expect(sm.metrics.find((x: { name: string }) => x.name === 'visit_buy_rate_7d').type_params.conversion_type_params.window).toEqual({ count: 7, granularity: 'day' });
    const balances = sm.semantic_models.find((x: { name: string }) => x.name === 'balances');
    expect(balances.measures.map((x: { non_additive_dimension: unknown }) => x.non_additive_dimension)).toEqual([
      { name: 'ds', window_choice: 'max', window_groupings: [] },
      { name: 'ds', window_choice: 'max', window_groupings: ['account'] },
      { name: 'ds', window_choice: 'min', window_groupings: ['account'] },
    ]);
    expect(sm.project_configuration.time_spines[0].custom_granularities).toEqual([{ name: 'fiscal_quarter', column_name: 'fiscal_quarter' }, { name: 'fiscal_year', column_name: 'fy' }]);
  });
});

describe('Metric() in where filters', () => {
  it('filters by a metric grouped by an entity, its literal a bind', async () => {
    const where = ["{{ Metric('buy_count', group_by=['user']) }} >= 1"];
    expect(await rows({ metrics: ['visits'], groupBy: ['visit__referrer'], orderBy: ['visit__referrer'] })).toEqual([['bing', 2], ['google', 4]]);
    expect(await rows({ metrics: ['visits'], groupBy: ['visit__referrer'], orderBy: ['visit__referrer'], where })).toEqual([['bing', 1], ['google', 3]]);
    // The entity named from the metric's side (buy__user) joins on the entity itself, as MetricFlow's local entity prefix.
    expect(await rows({ metrics: ['visits'], groupBy: ['visit__referrer'], orderBy: ['visit__referrer'], where: ["{{ Metric('buy_count', group_by=['buy__user']) }} >= 1"] })).toEqual([['bing', 1], ['google', 3]]);
    expect(await rows({ metrics: ['visits'], where: ["{{ Metric('buy_count', group_by=['user']) }} is null or {{ Dimension('visit__referrer') }} = 'bing'"] })).toEqual([[3]]);
    const compiled = layer.compile({ metrics: ['visits'], groupBy: ['visit__referrer'], where: ["{{ Dimension('visit__referrer') }} <> 'x' and {{ Metric('buy_count', group_by=['user']) }} >= 1"] });
    expect(compiled.binds).toEqual(['x', 1]);
    await expect(compiled.sql + '\n').toMatchFileSnapshot('golden/metric-filter.duckdb.sql');
    await expect(snowflake().compile({ metrics: ['visits'], groupBy: ['visit__referrer'], where }).sql + '\n').toMatchFileSnapshot('golden/metric-filter.snowflake.sql');
    expect(fail(() => layer.compile({ metrics: ['visits'], where: ["{{ Metric('buy_cnt', group_by=['user']) }} > 1"] }))).toMatchObject({ code: 'QUERY_FILTER', hint: "Did you mean 'buy_count'?" });
    expect(fail(() => layer.compile({ metrics: ['visits'], where: ["{{ Metric('buy_count') }} > 1"] }))).toMatchObject({ code: 'QUERY_FILTER', message: expect.stringContaining('needs group_by') });
    expect(fail(() => layer.compile({ metrics: ['visits'], where: ["{{ Metric('buy_count', group_by=['visit__referrer']) }} > 1"] }))).toMatchObject({ code: 'QUERY_FILTER', message: expect.stringContaining("'visit__referrer', which is not an entity") });
  });
});

describe('semi-additive measures (non_additive_dimension)', () => {
  it('sums only the rows at the max/min of the dimension, per window grouping and per metric_time period', async () => {
    // No groupings: the last day overall (01-03) only has a2.
    expect(await rows({ metrics: ['total_balance'] })).toEqual([[70]]);
    // Per account: a1's last (120) + a2's last (70); a1's first (100) + a2's first (50).
    expect(await rows({ metrics: ['latest_balance', 'first_balance'] })).toEqual([[190, 150]]);
    expect(await rows({ metrics: ['total_balance'], groupBy: ['metric_time__day'], orderBy: ['metric_time__day'] })).toEqual([['2024-01-01', 150], ['2024-01-02', 120], ['2024-01-03', 70]]);
    expect(await rows({ metrics: ['latest_balance'], groupBy: ['metric_time__fiscal_quarter'] })).toEqual([['FY24Q4', 190]]);
    await expect(layer.compile({ metrics: ['latest_balance'], groupBy: ['metric_time__month'] }).sql + '\n').toMatchFileSnapshot('golden/semi-additive.duckdb.sql');
  });
});

describe('custom granularities', () => {
  it('groups and filters by a time spine column, at metric_time and on time dimensions', async () => {
    expect(await rows({ metrics: ['visits'], groupBy: ['metric_time__fiscal_quarter'], orderBy: ['metric_time__fiscal_quarter'] })).toEqual([['FY24Q4', 5], ['FY25Q1', 1]]);
    expect(await rows({ metrics: ['visits'], groupBy: ['visit__ds__fiscal_year'], orderBy: ['visit__ds__fiscal_year'] })).toEqual([['FY24', 5], ['FY25', 1]]);
    expect(await rows({ metrics: ['visits'], where: ["{{ TimeDimension('metric_time', 'fiscal_quarter') }} = 'FY25Q1'"] })).toEqual([[1]]);
    expect(await rows({ metrics: ['visit_buy_rate'], groupBy: ['metric_time__fiscal_quarter'], orderBy: ['metric_time__fiscal_quarter'] })).toEqual([['FY24Q4', 0.4], ['FY25Q1', null]]);
    await expect(snowflake().compile({ metrics: ['visits'], groupBy: ['metric_time__fiscal_quarter'] }).sql + '\n').toMatchFileSnapshot('golden/custom-grain.snowflake.sql');
    expect(fail(() => layer.compile({ metrics: ['visits'], groupBy: ['metric_time__fiscal_qtr'] }))).toMatchObject({ code: 'QUERY_UNKNOWN_GROUP_BY' });
  });
});

describe('short group-by names', () => {
  it('accepts a dimension name without its entity when it is unique, and lists the candidates when not', async () => {
    expect(await rows({ metrics: ['visits'], groupBy: ['country'], orderBy: ['user__country'] })).toEqual([['FR', 2], ['US', 4]]);
    expect(layer.compile({ metrics: ['visits'], groupBy: ['country', 'metric_time'] }).columns).toEqual(['user__country', 'metric_time__day', 'visits']);
    expect(await rows({ metrics: ['visits'], groupBy: ['user'], where: ["{{ Dimension('country') }} = 'FR'"], orderBy: ['user'] })).toEqual([['u2', 1], ['u5', 1]]);
    expect(fail(() => layer.compile({ metrics: ['visits'], groupBy: ['referrer'] }))).toMatchObject({
      code: 'QUERY_AMBIGUOUS_GROUP_BY',
      message: "'referrer' is ambiguous for measure 'visits': it could be 'visit__referrer', 'user__referrer'",
      hint: "Write the full name, e.g. 'visit__referrer'.",
    });
    // A name reached through more entities is the same group-by: customer__country is order__customer__country for items.
    const hops = buildSemanticManifest([{ file: 'm.yml', text: `semantic_models:
  - {name: orders, model: ref('orders'), defaults: {agg_time_dimension: ds}, entities: [{name: order, type: primary}, {name: customer, type: foreign}], dimensions: [{name: ds, type: time, type_params: {time_granularity: day}}], measures: [{name: order_count, agg: count, expr: order}]}
  - {name: items, model: ref('items'), defaults: {agg_time_dimension: ds}, entities: [{name: item, type: primary}, {name: order, type: foreign}], dimensions: [{name: ds, type: time, type_params: {time_granularity: day}}], measures: [{name: item_count, agg: count, expr: item}]}
  - {name: customers, model: ref('customers'), entities: [{name: customer, type: primary}], dimensions: [{name: country, type: categorical}]}
metrics:
  - {name: order_count, type: simple, type_params: {measure: order_count}}
  - {name: item_count, type: simple, type_params: {measure: item_count}}
` }], 'p', null);
    const hopLayer = new SemanticLayer(hops, layer.dialect, (m) => m);
    for (const g of ['country', 'customer__country']) expect(hopLayer.compile({ metrics: ['order_count', 'item_count'], groupBy: [g] }).columns).toEqual(['customer__country', 'order_count', 'item_count']);
    expect(hopLayer.compile({ metrics: ['item_count'], groupBy: ['customer__country'] }).sql).toContain('left outer join');
    // The CLI exits 2 with it.
    const io = captureStreams();
    expect(await runCli(['sl', 'query', '--project-dir', dir, '--metrics', 'visits', '--group-by', 'referrer'], io.streams, {})).toBe(2);
    expect(io.stderr.join('') + io.stdout.join('')).toContain('QUERY_AMBIGUOUS_GROUP_BY');
  });
});
