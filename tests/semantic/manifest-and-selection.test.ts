import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';

const FILES = {
  'models/orders.sql': "select 1 as order_id, 10 as amount, date '2024-01-01' as ordered_at",
  'models/spine.sql': "select date '2024-01-01' as date_day",
  'models/sl.yml': `semantic_models:
  - name: orders
    model: ref('orders')
    defaults:
      agg_time_dimension: ordered_at
    entities:
      - name: order
        type: primary
        expr: order_id
    dimensions:
      - name: ordered_at
        type: time
        type_params:
          time_granularity: day
    measures:
      - name: order_total
        agg: sum
        expr: amount
metrics:
  - name: revenue
    label: Revenue
    type: simple
    type_params:
      measure: order_total
  - name: double_revenue
    label: Double revenue
    type: derived
    type_params:
      expr: revenue * 2
      metrics: [revenue]
saved_queries:
  - name: daily_revenue
    query_params:
      metrics: [revenue]
      group_by: ["TimeDimension('metric_time', 'day')"]
models:
  - name: spine
    time_spine:
      standard_granularity_column: date_day
    columns:
      - name: date_day
        granularity: day
`,
};

describe('semantic resources in the manifest and in selection', () => {
  it('writes manifest entries and semantic_manifest.json, and selects with metric:/semantic_model:/saved_query:', async () => {
    const dir = makeProject(FILES, 'shop');
    const io = captureStreams();
    expect(await runCli(['parse', '--project-dir', dir], io.streams, {})).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8'));
    expect(Object.keys(manifest.semantic_models)).toEqual(['semantic_model.shop.orders']);
    expect(manifest.semantic_models['semantic_model.shop.orders']).toMatchObject({ model: "ref('orders')", depends_on: { nodes: ['model.shop.orders'] }, refs: [{ name: 'orders', package: null, version: null }], node_relation: { alias: 'orders' } });
    expect(manifest.metrics['metric.shop.revenue'].depends_on.nodes).toEqual(['semantic_model.shop.orders']);
    expect(manifest.metrics['metric.shop.double_revenue']).toMatchObject({ depends_on: { nodes: ['metric.shop.revenue'] }, metrics: [['revenue']], type_params: { expr: 'revenue * 2', input_measures: [{ name: 'order_total' }] } });
    expect(manifest.saved_queries['saved_query.shop.daily_revenue'].depends_on.nodes).toEqual(['metric.shop.revenue']);
    const sm = JSON.parse(readFileSync(join(dir, 'target/semantic_manifest.json'), 'utf8'));
    expect(Object.keys(sm)).toEqual(['semantic_models', 'metrics', 'project_configuration', 'saved_queries']);
    expect(sm.project_configuration.time_spines).toEqual([{ node_relation: { alias: 'spine', schema_name: 'main', database: 'memory', relation_name: '"memory"."main"."spine"' }, primary_column: { name: 'date_day', time_granularity: 'day' }, custom_granularities: [] }]);
    expect(sm.metrics[1].type_params.metrics).toEqual([{ name: 'revenue', filter: null, alias: null, offset_window: null, offset_to_grain: null }]);

    const ls = async (...args: string[]) => {
      const out = captureStreams();
      expect(await runCli(['ls', '--project-dir', dir, ...args], out.streams, {})).toBe(0);
      return out.stdout.join('').trim().split('\n');
    };
    expect(await ls('-s', 'metric:revenue')).toEqual(['metric:shop.revenue']);
    expect(await ls('-s', '+metric:double_revenue')).toEqual(['metric:shop.double_revenue', 'metric:shop.revenue', 'shop.orders', 'semantic_model:shop.orders']);
    expect(await ls('-s', 'semantic_model:orders+', '--resource-type', 'saved_query')).toEqual(['saved_query:shop.daily_revenue']);
    expect(await ls('-s', 'orders+', '--resource-type', 'metric')).toEqual(['metric:shop.double_revenue', 'metric:shop.revenue']);
  });

  it("writes a measure's agg as dbt spells it (avg: 'average'), and the manifest's measures and entities without DSI's metadata key (v12 has none)", async () => {
    const files = { ...FILES, 'models/sl.yml': FILES['models/sl.yml'].replace('        agg: sum\n        expr: amount', '        agg: sum\n        expr: amount\n      - name: mean_amount\n        agg: avg\n        expr: amount\n      - name: mean_again\n        agg: average\n        expr: amount') };
    const dir = makeProject(files, 'shop');
    expect(await runCli(['parse', '--project-dir', dir], captureStreams().streams, {})).toBe(0);
    const model = JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8')).semantic_models['semantic_model.shop.orders'];
    expect(model.measures.map((m: { name: string; agg: string }) => [m.name, m.agg])).toEqual([['order_total', 'sum'], ['mean_amount', 'average'], ['mean_again', 'average']]);
    expect(model.measures.map((m: object) => 'metadata' in m)).toEqual([false, false, false]);
    expect('metadata' in model.entities[0]).toBe(false);
    expect(model.metadata).toBe(null);
    const sm = JSON.parse(readFileSync(join(dir, 'target/semantic_manifest.json'), 'utf8')).semantic_models[0];
    expect(sm.measures.map((m: { agg: string; metadata: unknown }) => [m.agg, m.metadata])).toEqual([['sum', null], ['average', null], ['average', null]]);
    expect(sm.entities[0].metadata).toBe(null);
  });

  it('writes semantic_manifest.json from every command that writes the manifest, and none without semantic YAML', async () => {
    const dir = makeProject(FILES, 'shop');
    const path = join(dir, 'target/semantic_manifest.json');
    for (const cmd of [['compile'], ['run', '-s', 'orders'], ['build', '-s', 'spine'], ['docs', 'generate']]) {
      rmSync(join(dir, 'target'), { recursive: true, force: true });
      const io = captureStreams();
      expect(await runCli([...cmd, '--project-dir', dir], io.streams, {}), cmd.join(' ')).toBe(0);
      expect(existsSync(path), cmd.join(' ')).toBe(true);
      expect(JSON.parse(readFileSync(path, 'utf8')).metrics.map((m: { name: string }) => m.name)).toEqual(['revenue', 'double_revenue']);
    }
    const plain = makeProject({ 'models/orders.sql': FILES['models/orders.sql'] }, 'plain');
    const io = captureStreams();
    expect(await runCli(['compile', '--project-dir', plain], io.streams, {})).toBe(0);
    expect(existsSync(join(plain, 'target/manifest.json'))).toBe(true);
    expect(existsSync(join(plain, 'target/semantic_manifest.json'))).toBe(false);
  });

  it('fails parse with a located error when a metric names an unknown measure', async () => {
    const dir = makeProject({ ...FILES, 'models/sl.yml': FILES['models/sl.yml'].replace('measure: order_total', 'measure: order_totals') }, 'shop');
    const io = captureStreams();
    expect(await runCli(['parse', '--project-dir', dir], io.streams, {})).toBe(2);
    expect(io.stderr.join('') + io.stdout.join('')).toContain("models/sl.yml:20: metric 'revenue' refers to unknown measure 'order_totals'");
  });
});
