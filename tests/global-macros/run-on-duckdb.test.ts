import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, seed } from '../../src/api/run.js';
import { runOperation } from '../../src/api/run-operation.js';
import { makeProject } from '../execute/harness.js';

// The global macros that build or run SQL, run on a real DuckDB through
// run-operation: relations found or made, rows after each merge statement,
// relations after drop / rename / replace, and the snapshot strategies'
// expressions evaluated on rows.
const MACROS = `
{% macro rel(name, type='table') %}{{ return(api.Relation.create(database=target.database, schema='main', identifier=name, type=type)) }}{% endmacro %}
{% macro rows(sql) %}{{ return(run_query(sql).rows | map('list') | list) }}{% endmacro %}
{% macro setup() %}
  {% do run_query("create or replace table main.tgt as select * from (values (1, 'a'), (2, 'b')) t(id, v)") %}
  {% do run_query("create or replace table main.src as select * from (values (2, 'B'), (3, 'C')) t(id, v)") %}
{% endmacro %}

{% macro or_create() %}
  {% set before = dbt.get_or_create_relation(target.database, 'main', 'later', 'table') %}
  {% do run_query('create table main.later as select 1 as x') %}
  {% do adapter.cache_added(rel('later')) %}
  {% set after = dbt.get_or_create_relation(database=target.database, schema='main', identifier='later', type='view') %}
  {{ return([before[0], before[1].identifier, before[1].type, after[0], after[1].identifier, after[1].type]) }}
{% endmacro %}

{% macro merges() %}
  {% set out = {} %}
  {% do setup() %}
  {% set cols = adapter.get_columns_in_relation(rel('src')) %}
  {% do run_query(dbt.get_merge_sql(rel('tgt'), rel('src'), 'id', cols)) %}
  {% do out.update({'merge': rows('select id, v from main.tgt order by id')}) %}
  {% do setup() %}
  {% do run_query(dbt.get_merge_sql(rel('tgt'), rel('src'), none, cols)) %}
  {% do out.update({'merge_no_key': rows('select id, v from main.tgt order by id, v')}) %}
  {% do setup() %}
  {% do run_query(dbt.get_merge_sql(rel('tgt'), rel('src'), ['id'], cols, predicates=['DBT_INTERNAL_DEST.id > 5'])) %}
  {% do out.update({'merge_predicate': rows('select id, v from main.tgt order by id, v')}) %}
  {% do setup() %}
  {% do run_query(dbt.get_delete_insert_merge_sql(rel('tgt'), rel('src'), 'id', cols, none)) %}
  {% do out.update({'delete_insert': rows('select id, v from main.tgt order by id')}) %}
  {% do setup() %}
  {% do run_query(dbt.get_insert_overwrite_merge_sql(rel('tgt'), rel('src'), cols, none)) %}
  {% do out.update({'insert_overwrite': rows('select id, v from main.tgt order by id')}) %}
  {% do setup() %}
  {% do run_query(dbt.get_insert_into_sql(rel('tgt'), rel('src'), cols)) %}
  {% do out.update({'insert_into': rows('select id, v from main.tgt order by id, v')}) %}
  {% do setup() %}
  {% set args = {'target_relation': rel('tgt'), 'temp_relation': rel('src'), 'unique_key': 'id', 'dest_columns': cols, 'incremental_predicates': none} %}
  {% do run_query(dbt.get_incremental_delete_insert_sql(args)) %}
  {% do out.update({'incremental_delete_insert': rows('select id, v from main.tgt order by id')}) %}
  {% do setup() %}
  {% do run_query(dbt.get_incremental_merge_sql(args)) %}
  {% do out.update({'incremental_merge': rows('select id, v from main.tgt order by id')}) %}
  {% do setup() %}
  {% do run_query(dbt.get_incremental_default_sql(args)) %}
  {% do out.update({'incremental_default': rows('select id, v from main.tgt order by id, v')}) %}
  {{ return(out) }}
{% endmacro %}

{% macro ddl() %}
  {% set out = {} %}
  {% do run_query('create table main.t1 as select 1 as x') %}
  {% do run_query('create view main.v1 as select 2 as x') %}
  {% do run_query(dbt.get_rename_sql(rel('t1'), 't2')) %}
  {% do run_query(dbt.get_rename_sql(rel('v1', 'view'), rel('v2', 'view'))) %}
  {% set listed = "select table_name, table_type from information_schema.tables where table_schema = 'main' and table_name in ('t1', 't2', 'v1', 'v2') order by 1" %}
  {% do out.update({'renamed': rows(listed)}) %}
  {% do run_query(dbt.get_replace_sql(rel('v2', 'view'), rel('v2', 'table'), 'select 3 as x')) %}
  {% do out.update({'replaced': rows(listed), 'replaced_rows': rows('select x from main.v2')}) %}
  {% do run_query(dbt.get_replace_view_sql(rel('v3', 'view'), 'select 4 as x')) %}
  {% do run_query(dbt.get_replace_view_sql(rel('v3', 'view'), 'select 5 as x')) %}
  {% do out.update({'replace_view': rows('select x from main.v3')}) %}
  {% do run_query(dbt.get_drop_sql(rel('t2'))) %}
  {% do run_query(dbt.get_drop_sql(rel('v3', 'view'))) %}
  {% do run_query(dbt.drop_table(rel('v2'))) %}
  {% do run_query(dbt.get_drop_sql(rel('never'))) %}
  {% do out.update({'dropped': rows("select table_name from information_schema.tables where table_schema = 'main' and table_name in ('t2', 'v2', 'v3')")}) %}
  {{ return(out) }}
{% endmacro %}

{% macro metadata() %}
  {% do run_query('create schema if not exists other') %}
  {% do run_query('create or replace table other.m1 as select 1 as a, 2 as b') %}
  {% do run_query('create or replace view other.m2 as select 1 as a') %}
  {% set listed = dbt.list_relations_without_caching(api.Relation.create(database=target.database, schema='other')) %}
  {{ return({
    'listed': listed | map(attribute='identifier') | sort | list,
    'types': listed | sort(attribute='identifier') | map(attribute='type') | list,
    'columns': dbt.get_columns_in_relation(api.Relation.create(database=target.database, schema='other', identifier='m1')) | map(attribute='name') | list,
    'schemas': 'other' in dbt.list_schemas(target.database),
    'exists': [dbt.check_schema_exists(target.database, 'other'), dbt.check_schema_exists(target.database, 'nope')],
    'relations': dbt.get_relations(),
  }) }}
{% endmacro %}

{#- A seed loaded by dbt's seed helpers, from a custom materialization. -#}
{% materialization probe_seed, default %}
  {%- set agate_table = load_agate_table() -%}
  {%- set existing = load_cached_relation(this) -%}
  {% if existing is none %}
    {% set create_or_truncate_sql = create_csv_table(model, agate_table) %}
  {% else %}
    {% set create_or_truncate_sql = reset_csv_table(model, should_full_refresh(), existing, agate_table) %}
  {% endif %}
  {% set insert_sql = load_csv_rows(model, agate_table) %}
  {% call noop_statement('main', 'INSERT ' ~ (agate_table.rows | length), 'INSERT', agate_table.rows | length) %}
    {{- get_csv_sql(create_or_truncate_sql, insert_sql) -}}
  {% endcall %}
  {{ adapter.commit() }}
  {{ return({'relations': [this.incorporate(type='table')]}) }}
{% endmaterialization %}

{#- A custom materialization asking the snapshot strategies for their SQL,
    as a user's snapshot materialization would, and keeping each row's verdict. -#}
{% materialization probe_strategy, default %}
  {% do run_query("create or replace table main.snapshotted_data as select * from (values (1, 'a', timestamp '2024-01-01'), (2, 'b', timestamp '2024-01-01'), (3, null, timestamp '2024-01-01')) t(id, v, dbt_valid_from)") %}
  {% do run_query("create or replace table main.source_data as select * from (values (1, 'a', timestamp '2024-01-01'), (2, 'B', timestamp '2024-02-01'), (3, 'c', timestamp '2023-12-01')) t(id, v, updated_at)") %}
  {% set node = {'database': target.database, 'schema': 'main', 'alias': 'snapshotted_data', 'compiled_code': 'select id, v from main.source_data'} %}
  {% set s = dbt.strategy_dispatch(config.get('strategy'))(node, 'snapshotted_data', 'source_data', {}, true) %}
  {% call statement('main') %}
    create or replace table {{ this }} as
    select id, {{ s.row_changed }} as changed,
      (select {{ s.scd_id }} from main.source_data as sd where sd.id = snapshotted_data.id) as scd_id,
      '{{ s.unique_key }}|{{ s.hard_deletes }}|{{ s.invalidate_hard_deletes }}' as meta
    from main.snapshotted_data as snapshotted_data join main.source_data as source_data using (id)
  {% endcall %}
  {{ return({'relations': [this.incorporate(type='table')]}) }}
{% endmaterialization %}
`;

describe('global macros on DuckDB', () => {
  const p = makeProject({
    'macros/probe.sql': MACROS,
    'models/by_time.sql': "{{ config(materialized='probe_strategy', strategy='timestamp', unique_key='id', updated_at='updated_at') }} select 1",
    'models/by_cols.sql': "{{ config(materialized='probe_strategy', strategy='dbt.check', unique_key='id', check_cols=['v'], hard_deletes='invalidate') }} select 1",
    'seeds/people.csv': 'id,name\n1,ann\n2,bob\n',
    'seeds/people.yml': 'seeds:\n  - name: people\n    config:\n      materialized: probe_seed\n      quote_columns: false\n',
    'models/by_all.sql': "{{ config(materialized='probe_strategy', strategy='check', unique_key='id', check_cols='all') }} select 1",
  });
  const op = async (name: string) => {
    const r = await runOperation(name, p.opts);
    if (r.error) throw r.error;
    return r.returned;
  };

  it('get_or_create_relation: [false, a new relation] before the table exists, [true, the cached one] after', async () => {
    expect(await op('or_create')).toEqual([false, 'later', 'table', true, 'later', 'table']);
  });

  it('merge, delete+insert, insert overwrite and insert, directly and through the strategy wrappers', async () => {
    expect(await op('merges')).toEqual({
      merge: [[1, 'a'], [2, 'B'], [3, 'C']],
      merge_no_key: [[1, 'a'], [2, 'B'], [2, 'b'], [3, 'C']],
      merge_predicate: [[1, 'a'], [2, 'B'], [2, 'b'], [3, 'C']],
      delete_insert: [[1, 'a'], [2, 'B'], [3, 'C']],
      insert_overwrite: [[2, 'B'], [3, 'C']],
      insert_into: [[1, 'a'], [2, 'B'], [2, 'b'], [3, 'C']],
      incremental_delete_insert: [[1, 'a'], [2, 'B'], [3, 'C']],
      incremental_merge: [[1, 'a'], [2, 'B'], [3, 'C']],
      // DuckDB's default strategy is delete+insert (dbt-duckdb's)
      incremental_default: [[1, 'a'], [2, 'B'], [3, 'C']],
    });
  });

  it('renames, replaces (a view by a table: drop and create) and drops', async () => {
    expect(await op('ddl')).toEqual({
      renamed: [['t2', 'BASE TABLE'], ['v2', 'VIEW']],
      replaced: [['t2', 'BASE TABLE'], ['v2', 'BASE TABLE']],
      replaced_rows: [[3]],
      replace_view: [[5]],
      dropped: [],
    });
  });

  it('snapshot strategies, found by strategy_dispatch in a custom materialization: row_changed and scd_id on rows', async () => {
    const r = await run({ ...p.opts, select: ['by_time', 'by_cols', 'by_all'] });
    expect(r.results.map((x) => x.status)).toEqual(['success', 'success', 'success']);
    const read = (t: string) => p.query(`select id, changed, scd_id = md5(cast(id as varchar) || '|' || cast(upd as varchar)) as id_ok, meta from main.${t} join (select id, updated_at as upd from main.source_data) using (id) order by id`);
    expect(await read('by_time')).toEqual([
      { id: 1, changed: false, id_ok: true, meta: 'id|ignore|False' },
      { id: 2, changed: true, id_ok: true, meta: 'id|ignore|False' },
      { id: 3, changed: false, id_ok: true, meta: 'id|ignore|False' },
    ]);
    // check: the snapshot time stands in for updated_at in scd_id.
    const checked = [
      { id: 1, changed: false, meta: 'id|invalidate|True' },
      { id: 2, changed: true, meta: 'id|invalidate|True' },
      { id: 3, changed: true, meta: 'id|invalidate|True' },
    ];
    expect((await read('by_cols')).map(({ id_ok, ...rest }) => rest)).toEqual(checked);
    expect((await read('by_all')).map(({ id_ok, ...rest }) => rest)).toEqual(checked.map((c) => ({ ...c, meta: 'id|ignore|False' })));
  });

  it('metadata lookups: relations, columns and schemas from the database', async () => {
    expect(await op('metadata')).toEqual({ listed: ['m1', 'm2'], types: ['table', 'view'], columns: ['a', 'b'], schemas: true, exists: [1, 0], relations: [] });
  });

  it('seed helpers: create_csv_table, reset_csv_table and load_csv_rows load a seed, again, and on a full refresh, each returning its SQL', async () => {
    const create = 'create table "dev"."main"."people" (\n      id integer,\n      name varchar\n    )';
    const insert = `insert into "dev"."main"."people" (id, name) values\n      (1, 'ann'),\n      (2, 'bob')`;
    const csvSql = (first: string) => `${first};\n  -- dbt seed --\n  ${insert}`;
    for (const [fullRefresh, first] of [[false, create], [false, 'truncate table "dev"."main"."people"'], [true, create]] as const) {
      const r = await seed({ ...p.opts, select: ['people'], fullRefresh });
      expect(r.results.map((x) => [x.status, x.message])).toEqual([['success', 'INSERT 2']]);
      expect(await p.query('select id, name from main.people order by id')).toEqual([{ id: 1, name: 'ann' }, { id: 2, name: 'bob' }]);
      // What each helper returned, as dbt's seed materialization reports it (get_csv_sql), kept in target/run.
      expect(readFileSync(join(p.dir, 'target/run/proj/seeds/people.csv'), 'utf8')).toBe(csvSql(first));
    }
  });
});
