import { describe, expect, it } from 'vitest';
import { ensureSnowflakeAdapter, SNOWFLAKE_PROFILE } from '../include-utils/support/snowflake-target.js';
import { renderInProject } from '../support/render-in-project.js';

// Every dbt global macro tsdbt's dbt package gained for issue #11 is a
// member of the `dbt` namespace, on DuckDB and on Snowflake (what is still
// missing, and why, is in src/include/README.md).
ensureSnowflakeAdapter();
const NAMES: string[] = [
  'call_dcl_statements check_schema_exists copy_grants create_csv_table default__call_dcl_statements default__check_schema_exists',
  'default__copy_grants default__create_csv_table default__create_indexes default__drop_materialized_view default__drop_table default__drop_view',
  'default__get_batch_size default__get_binding_char default__get_columns_in_relation default__get_create_backup_sql default__get_create_index_sql default__get_create_intermediate_sql',
  'default__get_create_materialized_view_as_sql default__get_create_sql default__get_csv_sql default__get_dcl_statement_list default__get_delete_insert_merge_sql default__get_drop_backup_sql',
  'default__get_drop_index_sql default__get_drop_sql default__get_grant_sql default__get_incremental_default_sql default__get_incremental_insert_overwrite_sql default__get_insert_overwrite_merge_sql',
  'default__get_merge_sql default__get_merge_unique_key_match default__get_merge_update_columns default__get_or_create_relation default__get_relations default__get_rename_intermediate_sql',
  'default__get_rename_materialized_view_sql default__get_rename_sql default__get_rename_table_sql default__get_rename_view_sql default__get_replace_materialized_view_sql default__get_replace_sql',
  'default__get_replace_table_sql default__get_replace_view_sql default__get_revoke_sql default__get_show_grant_sql default__get_show_indexes_sql default__get_true_sql',
  'default__information_schema_name default__list_relations_without_caching default__list_schemas default__load_csv_rows default__make_backup_relation default__make_intermediate_relation',
  'default__reset_csv_table default__snapshot_get_time default__snapshot_hash_arguments default__snapshot_string_as_time default__support_multiple_grantees_per_dcl_statement drop_materialized_view',
  'drop_table drop_view get_batch_size get_binding_char get_columns_in_relation get_create_backup_sql',
  'get_create_index_sql get_create_intermediate_sql get_create_materialized_view_as_sql get_create_sql get_csv_sql get_dcl_statement_list',
  'get_delete_insert_merge_sql get_drop_backup_sql get_drop_index_sql get_drop_sql get_grant_sql get_incremental_append_sql',
  'get_incremental_default_sql get_incremental_delete_insert_sql get_incremental_insert_overwrite_sql get_incremental_merge_sql get_insert_into_sql get_insert_overwrite_merge_sql',
  'get_merge_sql get_merge_unique_key_match get_merge_update_columns get_or_create_relation get_quoted_csv get_relations',
  'get_rename_intermediate_sql get_rename_materialized_view_sql get_rename_sql get_rename_table_sql get_rename_view_sql get_replace_materialized_view_sql',
  'get_replace_sql get_replace_table_sql get_replace_view_sql get_revoke_sql get_seed_column_quoted_csv get_show_grant_sql',
  'get_show_indexes_sql get_snapshot_table_column_names get_true_sql information_schema_name list_relations_without_caching list_schemas',
  'load_csv_rows reset_csv_table snapshot_check_all_get_existing_columns snapshot_check_strategy snapshot_get_time snapshot_hash_arguments',
  'snapshot_string_as_time snapshot_timestamp_strategy strategy_dispatch support_multiple_grantees_per_dcl_statement',
].flatMap((line) => line.split(' '));

describe('dbt.<name> is defined', () => {
  const undefinedIn = (files: Record<string, string>) =>
    renderInProject(NAMES.map((n) => `{{ '${n} ' if dbt.${n} is not defined }}`).join(''), files).trim();
  it('on DuckDB', () => {
    expect(NAMES.length).toBe(118);
    expect(undefinedIn({})).toBe('');
  });
  it('on Snowflake', () => {
    expect(undefinedIn(SNOWFLAKE_PROFILE)).toBe('');
  });
});
