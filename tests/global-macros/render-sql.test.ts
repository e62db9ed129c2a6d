import { describe, expect, it } from 'vitest';
import { ensureSnowflakeAdapter, SNOWFLAKE_PROFILE } from '../include-utils/support/snowflake-target.js';
import { renderInProject } from '../support/render-in-project.js';

// The SQL the dbt package's relation, merge and snapshot helpers render for
// representative arguments, on DuckDB (the default target) and Snowflake.
ensureSnowflakeAdapter();
const render = (template: string) => renderInProject(template);
const renderSf = (template: string) => renderInProject(template, SNOWFLAKE_PROFILE);
const renderErr = (template: string) => {
  try {
    return `no error: ${render(template)}`;
  } catch (e) {
    return (e as Error).message;
  }
};
const T = `{% set t = api.Relation.create(database='db', schema='s', identifier='t', type='table') %}{% set v = api.Relation.create(database='db', schema='s', identifier='v', type='view') %}`;
const COLS = `{% set cols = [api.Column('id', 'integer'), api.Column('Amount', 'integer'), api.Column('note', 'text')] %}`;

/** The insert every delete+insert form ends with, from `src` into t's columns. */
const INSERT_FROM_SRC = ['  insert into "db"."s"."t" ("id", "Amount", "note")', '  (', '    select "id", "Amount", "note"', '    from src', '  )'];

describe('small helpers', () => {
  it('get_quoted_csv, get_true_sql, information_schema_name', () => {
    expect(render(`{{ dbt.get_quoted_csv(['a', 'B', 'c d']) }}|{{ get_quoted_csv([]) }}|{{ dbt.get_true_sql() }}`)).toBe('"a", "B", "c d"||TRUE');
    expect(renderSf(`{{ dbt.information_schema_name('db') }}|{{ dbt.information_schema_name(none) }}`)).toBe('db.INFORMATION_SCHEMA|INFORMATION_SCHEMA');
    // DuckDB's information schema lists every attached database's objects (the catalog_name column says whose).
    expect(render(`{{ dbt.information_schema_name('db') }}|{{ dbt.information_schema_name(none) }}`)).toBe('information_schema|information_schema');
    expect(renderSf(`{{ dbt.get_quoted_csv(['a', 'B']) }}`)).toBe('"a", "B"');
  });

  it('indexes: none to create, and no SQL to show or drop them on these adapters', () => {
    expect(render(`{{ dbt.get_create_index_sql(this, {'columns': ['a']}) is none }}|{{ dbt.create_indexes(this) }}`)).toBe('True|');
    expect(renderErr(`{{ dbt.get_show_indexes_sql(this) }}`)).toBe('get_show_indexes_sql is not implemented for adapter duckdb');
    expect(renderErr(`{{ dbt.get_drop_index_sql(this, 'i') }}`)).toBe('get_drop_index_sql is not implemented for adapter duckdb');
  });

  it('make_intermediate_relation and make_backup_relation dispatch', () => {
    expect(render(`${T}{{ dbt.make_intermediate_relation(t) }}|{{ dbt.make_backup_relation(v, 'view') }}|{{ dbt.make_backup_relation(v, 'view').type }}|{{ default__make_intermediate_relation(t, '_x') }}`)).toBe(
      '"db"."s"."t__dbt_tmp"|"db"."s"."v__dbt_backup"|view|"db"."s"."t_x"',
    );
  });
});

describe('drop, rename, create and replace SQL', () => {
  it('drops by type', () => {
    expect(render(`${T}{{ dbt.get_drop_sql(t) }}|{{ dbt.get_drop_sql(v) }}|{{ dbt.drop_table(t) }}|{{ dbt.drop_view(v) }}`)).toBe(
      'drop table if exists "db"."s"."t" cascade|drop view if exists "db"."s"."v" cascade|drop table if exists "db"."s"."t" cascade|drop view if exists "db"."s"."v" cascade',
    );
  });

  it('renames to a name or to a relation\'s identifier; Snowflake names the new relation in full', () => {
    expect(render(`${T}{{ dbt.get_rename_sql(t, 't2') }}|{{ dbt.get_rename_sql(v, v.incorporate(path={'identifier': 'v2'})) }}`)).toBe(
      'alter table "db"."s"."t" rename to t2|alter view "db"."s"."v" rename to v2',
    );
    expect(renderSf(`${T}{{ dbt.get_rename_sql(t, 't2') }}|{{ dbt.get_rename_sql(v, 'v2') }}`)).toBe(
      'alter table db.s.t rename to db.s.t2|alter view db.s.v rename to db.s.v2',
    );
    expect(renderErr(`{{ dbt.get_rename_sql(api.Relation.create(identifier='x'), 'y') }}`)).toBe('get_rename_sql cannot rename "memory"."main"."x": its type is None, not view, table or materialized_view.');
  });

  it('creates by type, and the intermediate / backup statements', () => {
    expect(render(`${T}{{ dbt.get_create_sql(t, 'select 1') }}\n{{ dbt.get_create_sql(v, 'select 2') }}`)).toBe(
      '\n  create table "db"."s"."t" as (\n    select 1\n  )\n\n  create view "db"."s"."v" as (\n    select 2\n  )',
    );
    expect(render(`${T}{{ dbt.get_create_intermediate_sql(t, 'select 1') }}`)).toBe(
      'drop table if exists "db"."s"."t__dbt_tmp" cascade;\n  \n  create table "db"."s"."t__dbt_tmp" as (\n    select 1\n  )',
    );
    expect(render(`${T}{{ dbt.get_create_backup_sql(v) }}|{{ dbt.get_rename_intermediate_sql(t) }}|{{ dbt.get_drop_backup_sql(t) }}`)).toBe(
      'drop view if exists "db"."s"."v__dbt_backup" cascade;\n  alter view "db"."s"."v" rename to v__dbt_backup|alter table "db"."s"."t__dbt_tmp" rename to t|drop table if exists "db"."s"."t__dbt_backup" cascade',
    );
  });

  it('replaces: create or replace on DuckDB and Snowflake, drop and create when the type changes', () => {
    expect(render(`${T}{{ dbt.get_replace_view_sql(v, 'select 1') }}|{{ dbt.get_replace_table_sql(t, 'select 2') }}`)).toBe(
      'create or replace view "db"."s"."v" as (\n    select 1\n  )|create or replace table "db"."s"."t" as (\n    select 2\n  )',
    );
    expect(renderSf(`${T}{{ dbt.get_replace_table_sql(t, 'select 2') }}`)).toBe('create or replace table db.s.t as (\n    select 2\n  )');
    expect(render(`${T}{{ dbt.get_replace_sql(v, t.incorporate(path={'identifier': 'v'}), 'select 1') }}`)).toBe(
      'drop view if exists "db"."s"."v" cascade;\n    \n  create table "db"."s"."v" as (\n    select 1\n  )',
    );
  });
});

describe('get_replace_sql: its steps by what can be replaced or renamed', () => {
  // The statement macros it calls stubbed (a project's own, which win), so each
  // path shows as the names of its steps; relations as dicts of the members read.
  const STUBS = ['get_create_intermediate_sql(r, sql)', 'get_create_backup_sql(r)', 'get_rename_intermediate_sql(r)', 'get_drop_backup_sql(r)', 'get_drop_sql(r)', 'get_create_sql(r, sql)', 'get_replace_view_sql(r, sql)', 'get_replace_table_sql(r, sql)', 'get_replace_materialized_view_sql(r, sql)']
    .map((sig) => `{% macro ${sig} %}{{ return('${sig.slice(0, sig.indexOf('('))}:' ~ r.name) }}{% endmacro %}`)
    .join('\n');
  const rel = (name: string, type: string | null, replaceable: boolean, renameable: boolean) =>
    `{'name': '${name}', 'type': ${type === null ? 'none' : `'${type}'`}, 'can_be_replaced': ${replaceable}, 'can_be_renamed': ${renameable}}`;
  const replace = (old: string, next: string) => renderInProject(`{{ dbt.get_replace_sql(${old}, ${next}, 'select 1') }}`, { 'macros/stubs.sql': STUBS }).split(';\n    ');

  it('in place when the type stays and the adapter replaces it', () => {
    for (const type of ['view', 'table', 'materialized_view']) {
      expect(replace(rel('old', type, true, true), rel('new', type, false, true))).toEqual([`get_replace_${type}_sql:new`]);
    }
    // not replaceable, or another type, or a type with no create-or-replace: in steps
    expect(replace(rel('old', 'view', false, false), rel('new', 'view', false, false))).toEqual(['get_drop_sql:old', 'get_create_sql:new']);
    expect(replace(rel('old', 'external', true, false), rel('new', 'external', false, false))).toEqual(['get_drop_sql:old', 'get_create_sql:new']);
  });

  it('in steps: built aside when the new can be renamed, the old kept as a backup when it can be', () => {
    expect(replace(rel('old', 'view', true, true), rel('new', 'table', false, true))).toEqual([
      'get_create_intermediate_sql:new', 'get_create_backup_sql:old', 'get_rename_intermediate_sql:new', 'get_drop_backup_sql:old',
    ]);
    expect(replace(rel('old', 'view', true, false), rel('new', 'table', false, true))).toEqual(['get_create_intermediate_sql:new', 'get_drop_sql:old', 'get_rename_intermediate_sql:new']);
    expect(replace(rel('old', 'view', true, true), rel('new', 'table', false, false))).toEqual(['get_create_backup_sql:old', 'get_create_sql:new', 'get_drop_backup_sql:old']);
    expect(replace(rel('old', null, false, false), rel('new', 'table', false, false))).toEqual(['get_drop_sql:old', 'get_create_sql:new']);
  });
});

describe('merge statements', () => {
  it('get_merge_sql: on the unique key(s) and predicates, or FALSE without a key', () => {
    expect(render(`${T}${COLS}{{ dbt.get_merge_sql(t, 'src', 'id', cols, ['DBT_INTERNAL_DEST.d > 1']) }}`)).toBe(
      [
        '',
        '  merge into "db"."s"."t" as DBT_INTERNAL_DEST',
        '  using src as DBT_INTERNAL_SOURCE',
        '  on (DBT_INTERNAL_DEST.d > 1) and ((DBT_INTERNAL_SOURCE.id = DBT_INTERNAL_DEST.id))',
        '  when matched then update set',
        '    "id" = DBT_INTERNAL_SOURCE."id", "Amount" = DBT_INTERNAL_SOURCE."Amount", "note" = DBT_INTERNAL_SOURCE."note"',
        '  when not matched then insert ("id", "Amount", "note")',
        '  values ("id", "Amount", "note")',
      ].join('\n'),
    );
    expect(render(`${T}${COLS}{{ dbt.get_merge_sql(t, 'src', ['a', 'b'], cols) }}`)).toContain('on (DBT_INTERNAL_SOURCE.a = DBT_INTERNAL_DEST.a) and (DBT_INTERNAL_SOURCE.b = DBT_INTERNAL_DEST.b)\n');
    expect(render(`${T}${COLS}{{ dbt.get_merge_sql(t, 'src', none, cols, predicates=['p']) }}`)).toBe(
      '\n  merge into "db"."s"."t" as DBT_INTERNAL_DEST\n  using src as DBT_INTERNAL_SOURCE\n  on (p) and (FALSE)\n  when not matched then insert ("id", "Amount", "note")\n  values ("id", "Amount", "note")',
    );
  });

  it('merge update columns: given, all but the excluded (any case), or all; not both', () => {
    expect(render(`${COLS}{{ dbt.get_merge_update_columns(['x'], none, cols) }}|{{ dbt.get_merge_update_columns(none, ['AMOUNT'], cols) }}|{{ dbt.get_merge_update_columns(none, none, cols) }}`)).toBe(
      `['x']|['"id"', '"note"']|['"id"', '"Amount"', '"note"']`,
    );
    expect(renderErr(`${COLS}{{ dbt.get_merge_update_columns(['x'], ['y'], cols) }}`)).toBe(
      'Model cannot specify merge_update_columns and merge_exclude_columns. Please update model to use only one config',
    );
  });

  it('delete+insert, insert overwrite and insert into', () => {
    // The default (Snowflake's): key membership, one or several columns.
    expect(renderSf(`${T}${COLS}{{ dbt.get_delete_insert_merge_sql(t, 'src', ['id', 'd'], cols, ['p1', 'p2']) }}`)).toBe(
      renderSf(`${T}${COLS}{{ default__get_delete_insert_merge_sql(t, 'src', ['id', 'd'], cols, ['p1', 'p2']) }}`),
    );
    expect(render(`${T}${COLS}{{ default__get_delete_insert_merge_sql(t, 'src', ['id', 'd'], cols, ['p1', 'p2']) }}`)).toBe(
      [
        '',
        '  delete from "db"."s"."t" as DBT_INTERNAL_DEST',
        '  where (id, d) in (',
        '    select distinct id, d',
        '    from src as DBT_INTERNAL_SOURCE',
        '  )',
        '    and p1',
        '    and p2;',
        ...INSERT_FROM_SRC,
      ].join('\n'),
    );
    // DuckDB's (as dbt-duckdb): membership for one key column, a join for several.
    expect(render(`${T}${COLS}{{ dbt.get_delete_insert_merge_sql(t, 'src', 'id', cols, ['p1']) }}`)).toBe(
      [
        '',
        '  delete from "db"."s"."t" as DBT_INTERNAL_DEST',
        '  where (id) in (select (id) from src)',
        '    and p1;',
        ...INSERT_FROM_SRC,
      ].join('\n'),
    );
    expect(render(`${T}${COLS}{{ dbt.get_delete_insert_merge_sql(t, 'src', ['id', 'd'], cols, ['p1', 'p2']) }}`)).toBe(
      [
        '',
        '  delete from "db"."s"."t" as DBT_INTERNAL_DEST',
        '  using src as DBT_INTERNAL_SOURCE',
        '  where DBT_INTERNAL_SOURCE.id = DBT_INTERNAL_DEST.id',
        '    and DBT_INTERNAL_SOURCE.d = DBT_INTERNAL_DEST.d',
        '    and p1',
        '    and p2;',
        ...INSERT_FROM_SRC,
      ].join('\n'),
    );
    expect(render(`${T}${COLS}{{ dbt.get_delete_insert_merge_sql(t, 'src', none, cols, none) }}`)).toBe(
      '\n  insert into "db"."s"."t" ("id", "Amount", "note")\n  (\n    select "id", "Amount", "note"\n    from src\n  )',
    );
    expect(render(`${T}${COLS}{{ dbt.get_insert_overwrite_merge_sql(t, 'src', cols, ['p1', 'p2']) }}`)).toBe(
      [
        '',
        '  merge into "db"."s"."t" as DBT_INTERNAL_DEST',
        '  using src as DBT_INTERNAL_SOURCE',
        '  on FALSE',
        '  when not matched by source and p1 and p2',
        '  then delete',
        '  when not matched then insert ("id", "Amount", "note")',
        '  values ("id", "Amount", "note")',
      ].join('\n'),
    );
    expect(render(`${T}${COLS}{{ dbt.get_insert_into_sql(t, 'src', cols) }}`)).toBe('insert into "db"."s"."t" ("id", "Amount", "note")\n  (\n    select "id", "Amount", "note"\n    from src\n  )');
  });

  it('the incremental strategy macros call the statement macros; DuckDB\'s default is delete+insert, Snowflake\'s merge', () => {
    const args = `{% set args = {'target_relation': t, 'temp_relation': 'src', 'unique_key': 'id', 'dest_columns': cols, 'incremental_predicates': ['p']} %}`;
    expect(render(`${T}${COLS}${args}{{ dbt.get_incremental_append_sql(args) == dbt.get_insert_into_sql(t, 'src', cols) }}|{{ dbt.get_incremental_default_sql(args) == dbt.get_incremental_delete_insert_sql(args) }}`)).toBe('True|True');
    expect(render(`${T}${COLS}${args}{{ dbt.get_incremental_merge_sql(args) == dbt.get_merge_sql(t, 'src', 'id', cols, ['p']) }}|{{ dbt.get_incremental_delete_insert_sql(args) == dbt.get_delete_insert_merge_sql(t, 'src', 'id', cols, ['p']) }}`)).toBe('True|True');
    expect(render(`${T}${COLS}${args}{{ dbt.get_incremental_insert_overwrite_sql(args) == dbt.get_insert_overwrite_merge_sql(t, 'src', cols, ['p']) }}`)).toBe('True');
    expect(renderSf(`${T}${COLS}${args}{{ dbt.get_incremental_default_sql(args) == dbt.get_incremental_merge_sql(args) }}|{{ dbt.get_incremental_merge_sql(args) == default__get_merge_sql(t, 'src', 'id', cols, ['p']) }}`)).toBe('True|True');
    // Snowflake's merge without a unique_key is an insert.
    expect(renderSf(`${T}${COLS}{{ dbt.get_merge_sql(t, 'src', none, cols) | trim == dbt.get_insert_into_sql(t, 'src', cols) | trim }}`)).toBe('True');
  });
});

describe('snapshot helpers', () => {
  it('hash arguments, snapshot time per adapter', () => {
    expect(render(`{{ dbt.snapshot_hash_arguments(['id', 'updated_at']) }}`)).toBe("md5(coalesce(cast(id as varchar), '') || '|' || coalesce(cast(updated_at as varchar), ''))");
    expect(render(`{{ dbt.snapshot_get_time() }}|{{ dbt.snapshot_string_as_time('2024-01-02 03:04:05') }}`)).toBe("now()::timestamp|'2024-01-02 03:04:05'::timestamp");
    expect(renderSf(`{{ dbt.snapshot_get_time() }}|{{ dbt.snapshot_string_as_time('2024-01-02') }}`)).toBe("to_timestamp_ntz(convert_timezone('UTC', current_timestamp()))|to_timestamp_ntz('2024-01-02')");
    expect(render(`{{ dbt.get_snapshot_table_column_names() | dictsort }}`)).toBe(
      "[('dbt_is_deleted', 'dbt_is_deleted'), ('dbt_scd_id', 'dbt_scd_id'), ('dbt_updated_at', 'dbt_updated_at'), ('dbt_valid_from', 'dbt_valid_from'), ('dbt_valid_to', 'dbt_valid_to')]",
    );
  });

  it('strategy_dispatch finds snapshot_<name>_strategy, in a package when qualified', () => {
    const files = { 'macros/s.sql': "{% macro snapshot_mine_strategy(node, a, b, c, d) %}{{ return('mine') }}{% endmacro %}" };
    expect(renderInProject(`{{ dbt.strategy_dispatch('mine')(none, none, none, none, none) }}|{{ dbt.strategy_dispatch('test_project.mine')(none, none, none, none, none) }}`, files)).toBe('mine|mine');
    expect(renderErr(`{{ dbt.strategy_dispatch('nope') }}`)).toBe("The specified strategy macro 'nope' was not found in package 'None'");
    expect(renderErr(`{{ dbt.strategy_dispatch('nopkg.timestamp') }}`)).toBe("Could not find package 'nopkg', called with 'nopkg.timestamp'");
    expect(render(`{{ dbt.strategy_dispatch('timestamp') == dbt.snapshot_timestamp_strategy }}|{{ dbt.strategy_dispatch('dbt.check') == dbt.snapshot_check_strategy }}`)).toBe('True|True');
  });
});

describe('grants', () => {
  it('grant, revoke (grantees quoted) and show statements, one per privilege or per grantee', () => {
    expect(render(`${T}{{ dbt.get_grant_sql(t, 'select', ['a', 'b']) }}|{{ dbt.get_revoke_sql(t, 'select', ['a', 'B']) }}|{{ dbt.get_show_grant_sql(t) }}`)).toBe(
      'grant select on "db"."s"."t" to a, b|revoke select on "db"."s"."t" from "a", "B"|show grants on "db"."s"."t"',
    );
    expect(render(`${T}{{ dbt.get_dcl_statement_list(t, {'select': ['a', 'b'], 'insert': [], 'update': ['c']}, dbt.get_grant_sql) }}`)).toBe(
      `['grant select on "db"."s"."t" to a, b', 'grant update on "db"."s"."t" to c']`,
    );
    const one = { 'macros/m.sql': '{% macro default__support_multiple_grantees_per_dcl_statement() %}{{ return(false) }}{% endmacro %}' };
    expect(renderInProject(`${T}{{ dbt.get_dcl_statement_list(t, {'select': ['a', 'b']}, dbt.get_grant_sql) }}`, one)).toBe(
      `['grant select on "db"."s"."t" to a', 'grant select on "db"."s"."t" to b']`,
    );
    expect(render(`{{ dbt.support_multiple_grantees_per_dcl_statement() }}|{{ dbt.copy_grants() }}|{{ dbt.call_dcl_statements([]) }}`)).toBe('True|True|');
  });
});

describe('seed helpers', () => {
  it('binding character, batch size, quoted columns and the reported SQL', () => {
    expect(render(`{{ dbt.get_binding_char() }}|{{ dbt.get_batch_size() }}`)).toBe('?|10000');
    expect(renderSf(`{{ dbt.get_binding_char() }}|{{ dbt.get_batch_size() == dbt.seed_batch_size() }}`)).toBe('%s|True');
    expect(render(`{{ dbt.get_seed_column_quoted_csv({'config': {}}, ['a', 'B']) }}`)).toBe('"a", "B"');
    expect(render(`{{ dbt.get_csv_sql('create table x (a int)', 'insert into x values (1)') }}`)).toBe('create table x (a int);\n  -- dbt seed --\n  insert into x values (1)');
  });
});
