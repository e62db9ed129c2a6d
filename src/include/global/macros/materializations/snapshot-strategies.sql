{#- Snapshot strategies as macros, for custom snapshot materializations and
    packages: strategy_dispatch finds `snapshot_<name>_strategy`, and each
    strategy returns a dict (unique_key, updated_at, row_changed, scd_id,
    invalidate_hard_deletes, hard_deletes) with the SQL expressions comparing
    the snapshotted row (snapshotted_rel) with the current one (current_rel).
    tsdbt's own snapshot materialization (snapshot.sql) does not go through
    them. -#}

{#- The strategy macro for `name`, or `package.name` looked up in that package. -#}
{% macro strategy_dispatch(name) -%}
  {%- set parts = name.split('.', 1) -%}
  {%- set package_name = parts[0] if parts | length == 2 else none -%}
  {%- set strategy = parts[-1] -%}
  {%- set scope = context if package_name is none else context[package_name] -%}
  {%- if scope is not defined or scope is none -%}
    {{ exceptions.raise_compiler_error("Could not find package '" ~ package_name ~ "', called with '" ~ name ~ "'") }}
  {%- endif -%}
  {%- set found = scope['snapshot_' ~ strategy ~ '_strategy'] -%}
  {%- if found is not defined or found is none -%}
    {{ exceptions.raise_compiler_error("The specified strategy macro '" ~ strategy ~ "' was not found in package '" ~ package_name ~ "'") }}
  {%- endif -%}
  {{ return(found) }}
{%- endmacro %}

{#- A hash of the expressions, each cast to text with null as '', joined by '|'. -#}
{% macro snapshot_hash_arguments(args) -%}
  {{ adapter.dispatch('snapshot_hash_arguments', 'dbt')(args) }}
{%- endmacro %}

{% macro default__snapshot_hash_arguments(args) -%}
  md5({% for arg in args -%}
    coalesce(cast({{ arg }} as varchar), ''){{ " || '|' || " if not loop.last }}
  {%- endfor %})
{%- endmacro %}

{% macro snapshot_get_time() -%}
  {{ adapter.dispatch('snapshot_get_time', 'dbt')() }}
{%- endmacro %}

{% macro default__snapshot_get_time() -%}
  {{ current_timestamp() }}
{%- endmacro %}

{% macro snapshot_string_as_time(timestamp) -%}
  {{ adapter.dispatch('snapshot_string_as_time', 'dbt')(timestamp) }}
{%- endmacro %}

{% macro default__snapshot_string_as_time(timestamp) -%}
  {{ exceptions.raise_not_implemented('snapshot_string_as_time macro not implemented for adapter ' ~ adapter.type()) }}
{%- endmacro %}

{#- The meta column names when snapshot_meta_column_names is not set. -#}
{% macro get_snapshot_table_column_names() -%}
  {{ return({'dbt_valid_to': 'dbt_valid_to', 'dbt_valid_from': 'dbt_valid_from', 'dbt_scd_id': 'dbt_scd_id', 'dbt_updated_at': 'dbt_updated_at', 'dbt_is_deleted': 'dbt_is_deleted'}) }}
{%- endmacro %}

{% macro tsdbt_snapshot_strategy_result(updated_at, row_changed) -%}
  {%- set unique_key = config.get('unique_key') -%}
  {%- set hard_deletes = snapshot_hard_deletes(config) -%}
  {{ return({
    'unique_key': unique_key,
    'updated_at': updated_at,
    'row_changed': row_changed,
    'scd_id': snapshot_hash_arguments(api.Relation.scd_args(unique_key, updated_at)),
    'invalidate_hard_deletes': hard_deletes == 'invalidate',
    'hard_deletes': hard_deletes
  }) }}
{%- endmacro %}

{#- timestamp: a row changed when its updated_at is later than the snapshotted
    version's valid-from (the snapshot's own column, present whatever the
    strategy was before). model_config is accepted and not used. -#}
{% macro snapshot_timestamp_strategy(node, snapshotted_rel, current_rel, model_config, target_exists) -%}
  {%- set names = config.get('snapshot_table_column_names') or snapshot_column_names(config) -%}
  {%- set updated_at = config.get('updated_at') -%}
  {%- set row_changed -%}
    ({{ snapshotted_rel }}.{{ names.dbt_valid_from }} < {{ current_rel }}.{{ updated_at }})
  {%- endset -%}
  {{ return(tsdbt_snapshot_strategy_result(updated_at, row_changed)) }}
{%- endmacro %}

{#- check: a row changed when any check column differs (null against a value
    counts), or whenever the query has a column the table lacks. -#}
{% macro snapshot_check_strategy(node, snapshotted_rel, current_rel, model_config, target_exists) -%}
  {%- set updated_at = config.get('updated_at') or snapshot_get_time() -%}
  {%- set found = snapshot_check_all_get_existing_columns(node, target_exists, config.get('check_cols')) -%}
  {%- set column_added = found[0] -%}
  {%- set row_changed -%}
    ({%- if column_added -%}
      {{ get_true_sql() }}
    {%- else -%}
      {%- for col in found[1] -%}
        {%- set old = snapshotted_rel ~ '.' ~ col -%}
        {%- set new = current_rel ~ '.' ~ col -%}
        {{ old }} != {{ new }} or ((({{ old }} is null) and not ({{ new }} is null)) or ((not {{ old }} is null) and ({{ new }} is null))){{ ' or ' if not loop.last }}
      {%- endfor -%}
    {%- endif -%})
  {%- endset -%}
  {{ return(tsdbt_snapshot_strategy_result(updated_at, row_changed)) }}
{%- endmacro %}

{#- [column_added, check columns]: the check columns (every column of the
    snapshot's query for 'all', else those listed) that the existing table
    has, quoted; column_added when the query has one the table lacks. Before
    the table exists: [false, []] (no query is run). -#}
{% macro snapshot_check_all_get_existing_columns(node, target_exists, check_cols_config) -%}
  {%- if not target_exists -%}
    {{ return([false, []]) }}
  {%- endif -%}
  {%- if check_cols_config == 'all' -%}
    {%- set query_columns = get_columns_in_query(node['compiled_code']) -%}
  {%- elif check_cols_config is iterable and check_cols_config is not string and check_cols_config | length > 0 -%}
    {%- set picked -%}
      select {{ check_cols_config | join(', ') }} from (
        {{ node['compiled_code'] }}
      ) subq
    {%- endset -%}
    {%- set query_columns = get_columns_in_query(picked) -%}
  {%- else -%}
    {{ exceptions.raise_compiler_error("Invalid value for 'check_cols': " ~ check_cols_config) }}
  {%- endif -%}
  {%- set target = adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias) -%}
  {%- set existing = adapter.get_columns_in_relation(target) | map(attribute='name') | list -%}
  {%- set ns = namespace(added=false) -%}
  {%- set kept = [] -%}
  {%- for col in query_columns -%}
    {%- if col in existing -%}{%- do kept.append(adapter.quote(col)) -%}{%- else -%}{%- set ns.added = true -%}{%- endif -%}
  {%- endfor -%}
  {{ return([ns.added, kept]) }}
{%- endmacro %}
