import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';
import { ordersSemanticModel } from '../support/semantic-yaml.js';

// What dbt 1.10 (dbt-semantic-interfaces 0.9) writes for dbt-labs/jaffle-shop's shape: a legacy metricflow_time_spine
// model with no time_spine config, saved queries with exports, a cumulative metric.
const FILES = {
  'models/orders.sql': "select 1 as order_id, 10 as amount, date '2024-01-01' as ordered_at",
  'models/metricflow_time_spine.sql': "select date '2024-01-01' as date_day",
  'models/sl.yml': `${ordersSemanticModel('orders', 'orders', 'order_total')}metrics:
  - {name: revenue, label: Revenue, type: simple, type_params: {measure: order_total}}
  - {name: cumulative_revenue, label: Cumulative revenue, type: cumulative, type_params: {measure: order_total}}
saved_queries:
  - name: order_metrics
    query_params:
      metrics: [revenue]
      group_by: ["TimeDimension('metric_time', 'day')"]
    exports:
      - name: order_metrics
        config:
          export_as: table
  - name: by_schema
    config:
      export_as: view
      schema: exports
    query_params:
      metrics: [revenue]
    exports:
      - name: first
      - name: second
        config:
          export_as: table
          alias: second_table
`,
};

async function parsed() {
  const dir = makeProject(FILES, 'shop');
  const io = captureStreams();
  expect(await runCli(['parse', '--project-dir', dir], io.streams, {})).toBe(0);
  const read = (f: string) => JSON.parse(readFileSync(join(dir, 'target', f), 'utf8'));
  return { manifest: read('manifest.json'), sm: read('semantic_manifest.json') };
}

describe('semantic_manifest.json and the manifest as dbt 1.10 writes them', () => {
  it('a metricflow_time_spine model with no time_spine config is the legacy time spine table, not a time spine', async () => {
    const { sm } = await parsed();
    expect(sm.project_configuration.time_spine_table_configurations).toEqual([{ location: '"memory"."main"."metricflow_time_spine"', column_name: 'date_day', grain: 'day' }]);
    expect(sm.project_configuration.time_spines).toEqual([]);
  });

  it("saved queries' exports: export_as and schema inherited from the saved query, alias the export's name, database the target's", async () => {
    const { manifest, sm } = await parsed();
    const q = manifest.saved_queries['saved_query.shop.order_metrics'];
    expect(q.exports).toEqual([{ name: 'order_metrics', config: { export_as: 'table', schema_name: 'main', alias: 'order_metrics', database: 'memory' }, unrendered_config: { export_as: 'table' } }]);
    const b = manifest.saved_queries['saved_query.shop.by_schema'];
    expect(b.config).toMatchObject({ export_as: 'view', schema: 'exports' });
    expect(b.exports).toEqual([
      { name: 'first', config: { export_as: 'view', schema_name: 'exports', alias: 'first', database: 'memory' }, unrendered_config: {} },
      { name: 'second', config: { export_as: 'table', schema_name: 'exports', alias: 'second_table', database: 'memory' }, unrendered_config: { export_as: 'table', alias: 'second_table' } },
    ]);
    // dbt-semantic-interfaces' export config has no database, and its saved query no config.
    const semantic = sm.saved_queries.find((x: { name: string }) => x.name === 'by_schema');
    expect(semantic.exports).toEqual([
      { name: 'first', config: { export_as: 'view', schema_name: 'exports', alias: 'first' } },
      { name: 'second', config: { export_as: 'table', schema_name: 'exports', alias: 'second_table' } },
    ]);
    expect(Object.keys(semantic).sort()).toEqual(['description', 'exports', 'label', 'metadata', 'name', 'query_params', 'tags']);
  });

  it("metric type_params: metric_aggregation_params and cumulative's metric in both; join_to_timespine and fill_nulls_with in the semantic manifest", async () => {
    const { manifest, sm } = await parsed();
    const m = manifest.metrics['metric.shop.cumulative_revenue'].type_params;
    expect(m.metric_aggregation_params).toBeNull();
    expect(m.cumulative_type_params).toEqual({ window: null, grain_to_date: null, period_agg: 'first', metric: null });
    expect('join_to_timespine' in m).toBe(false);
    const s = sm.metrics.find((x: { name: string }) => x.name === 'cumulative_revenue').type_params;
    expect(s).toMatchObject({ metric_aggregation_params: null, join_to_timespine: false, fill_nulls_with: null });
    expect(s.cumulative_type_params.metric).toBeNull();
  });
});
