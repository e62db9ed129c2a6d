import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/api/run.js';
import { runOperation } from '../../src/api/run-operation.js';
import { startSnowflakeDoubleInWorker, type WorkerSnowflakeDouble } from '../support/snowflake-double/double-worker.js';
import { makeSnowflakeProject, sfQuery } from './sf-harness.js';

// Snowflake: a model built in another database and a custom schema (`+database`, `+schema`):
// incrementals with on_schema_change, a snapshot, and introspection of that database
// (its own information_schema) all land where the target says.
let double: WorkerSnowflakeDouble;
beforeAll(async () => {
  double = await startSnowflakeDoubleInWorker({ databases: ['ANALYTICS', 'OTHER'] });
});
afterAll(async () => {
  await double?.close();
});

const SRC = `{{ config(materialized='table') }}
select id, v, cast(updated_at as timestamp) as updated_at, extra from (values
{%- if var('phase') == 1 %} (1, 'a', '2024-01-01', 'e1'), (2, 'b', '2024-01-01', 'e2')
{%- else %} (1, 'a', '2024-01-01', 'e1'), (2, 'B', '2024-02-01', 'e2'), (3, 'c', '2024-02-01', 'e3')
{%- endif %}) t(id, v, updated_at, extra)
`;
const inc = (strategy: string, osc: string) => `{{ config(materialized='incremental', incremental_strategy='${strategy}', unique_key='id', on_schema_change='${osc}') }}
select id, v, updated_at{% if var('phase') == 2 %}, extra{% endif %} from {{ ref('src') }}
{% if is_incremental() %}where updated_at > (select max(updated_at) from {{ this }}){% endif %}
`;

describe('Snowflake: every materialization in another database and schema', () => {
  it('builds twice in OTHER.DBT_TEST_CUSTOM: rows and columns after each run', async () => {
    const p = makeSnowflakeProject(
      {
        'dbt_project.yml': 'name: proj\nprofile: proj\nconfig-version: 2\nmodels:\n  proj:\n    +database: other\n    +schema: custom\nsnapshots:\n  proj:\n    +database: other\n    +schema: custom\n',
        'models/src.sql': SRC,
        'models/inc_merge.sql': inc('merge', 'sync_all_columns'),
        'models/inc_delins.sql': inc('delete+insert', 'append_new_columns'),
        'snapshots/snap.sql': "{% snapshot snap %}{{ config(unique_key='id', strategy='check', check_cols=['v'], hard_deletes='invalidate') }}select id, v from {{ ref('src') }}{% endsnapshot %}",
        'macros/probe.sql': "{% macro probe() %}{{ return(adapter.get_columns_in_relation(api.Relation.create(database='other', schema='dbt_test_custom', identifier='inc_merge')) | map(attribute='name') | list) }}{% endmacro %}",
      },
      double.port,
    );
    const cols = async (name: string) =>
      (await sfQuery(double, `select column_name from other.information_schema.columns where table_schema = 'DBT_TEST_CUSTOM' and table_name = '${name.toUpperCase()}' order by ordinal_position`)).map((r) => Object.values(r)[0]);
    const r1 = await build({ ...p.opts, vars: { phase: 1 } });
    expect(r1.results.map((r) => [r.node.name, r.status])).toEqual([['src', 'success'], ['inc_delins', 'success'], ['inc_merge', 'success'], ['snap', 'success']]);
    const r2 = await build({ ...p.opts, vars: { phase: 2 } });
    expect(r2.results.map((r) => [r.node.name, r.status])).toEqual([['src', 'success'], ['inc_delins', 'success'], ['inc_merge', 'success'], ['snap', 'success']]);
    expect(await cols('inc_merge')).toEqual(['ID', 'V', 'UPDATED_AT', 'EXTRA']);
    expect(await cols('inc_delins')).toEqual(['ID', 'V', 'UPDATED_AT', 'EXTRA']);
    expect(await sfQuery(double, 'select id, v, extra from other.dbt_test_custom.inc_merge order by id')).toEqual([
      { ID: 1, V: 'a', EXTRA: null },
      { ID: 2, V: 'B', EXTRA: 'e2' },
      { ID: 3, V: 'c', EXTRA: 'e3' },
    ]);
    expect(await sfQuery(double, 'select id, v, extra from other.dbt_test_custom.inc_delins order by id')).toEqual([
      { ID: 1, V: 'a', EXTRA: null },
      { ID: 2, V: 'B', EXTRA: 'e2' },
      { ID: 3, V: 'c', EXTRA: 'e3' },
    ]);
    expect(await sfQuery(double, 'select id, v, dbt_valid_to is null as cur from other.dbt_test_custom.snap order by id, v')).toEqual([
      { ID: 1, V: 'a', CUR: true },
      { ID: 2, V: 'B', CUR: true },
      { ID: 2, V: 'b', CUR: false },
      { ID: 3, V: 'c', CUR: true },
    ]);
    // Nothing was left in the profile's database or schema.
    expect(await sfQuery(double, "select table_name from analytics.information_schema.tables where table_catalog = 'ANALYTICS' and table_schema like 'DBT_TEST%'")).toEqual([]);
    const probe = await runOperation('probe', { ...p.opts, vars: { phase: 2 } });
    if (probe.error) throw probe.error;
    expect(probe.returned).toEqual(['ID', 'V', 'UPDATED_AT', 'EXTRA']);
  });
});
