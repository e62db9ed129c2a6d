{#- Statements that move new rows into an existing table, as custom
    materializations and incremental strategies call them: merge,
    delete+insert, insert overwrite, plain insert; and the dispatching
    get_incremental_<strategy>_sql macros, which the incremental
    materializations find by the strategy's name
    (adapter.get_incremental_strategy_macro): each dispatches, and its
    default__ calls the statement macro above it, so a project's override of
    either level changes what runs. -#}

{#- Column names quoted for the adapter, comma-separated. -#}
{% macro get_quoted_csv(column_names) -%}
  {%- set quoted = [] -%}
  {%- for name in column_names -%}{%- do quoted.append(adapter.quote(name)) -%}{%- endfor -%}
  {{ return(quoted | join(', ')) }}
{%- endmacro %}

{% macro get_true_sql() -%}
  {{ return(adapter.dispatch('get_true_sql', 'dbt')()) }}
{%- endmacro %}

{% macro default__get_true_sql() -%}
  {{ return('TRUE') }}
{%- endmacro %}

{#- The columns a merge's `when matched` updates: merge_update_columns as
    given, or every destination column but merge_exclude_columns (compared
    case-insensitively), or every destination column; quoted unless given. -#}
{% macro get_merge_update_columns(merge_update_columns, merge_exclude_columns, dest_columns) -%}
  {{ return(adapter.dispatch('get_merge_update_columns', 'dbt')(merge_update_columns, merge_exclude_columns, dest_columns)) }}
{%- endmacro %}

{% macro default__get_merge_update_columns(merge_update_columns, merge_exclude_columns, dest_columns) -%}
  {%- if merge_update_columns and merge_exclude_columns -%}
    {{ exceptions.raise_compiler_error('Model cannot specify merge_update_columns and merge_exclude_columns. Please update model to use only one config') }}
  {%- endif -%}
  {%- if merge_update_columns -%}
    {{ return(merge_update_columns) }}
  {%- endif -%}
  {%- set excluded = (merge_exclude_columns or []) | map('lower') | list -%}
  {%- set kept = [] -%}
  {%- for col in dest_columns if col.column | lower not in excluded -%}
    {%- do kept.append(col.quoted) -%}
  {%- endfor -%}
  {{ return(kept) }}
{%- endmacro %}

{#- How a merge matches one unique-key column (dbt.equals, so null keys match where that flag is set). -#}
{% macro get_merge_unique_key_match(source_unique_key, target_unique_key) -%}
  {{ return(adapter.dispatch('get_merge_unique_key_match', 'dbt')(source_unique_key, target_unique_key)) }}
{%- endmacro %}

{% macro default__get_merge_unique_key_match(source_unique_key, target_unique_key) -%}
  {{ return(equals(source_unique_key, target_unique_key) | trim) }}
{%- endmacro %}

{#- merge into `target` from `source`: rows matching on unique_key (and every
    predicate) are updated, the others inserted; without a unique_key nothing
    matches and every row is inserted. `predicates=` is the old name of
    incremental_predicates. -#}
{% macro get_merge_sql(target, source, unique_key, dest_columns, incremental_predicates=none) -%}
  {%- set incremental_predicates = kwargs.get('predicates', incremental_predicates) -%}
  {{ adapter.dispatch('get_merge_sql', 'dbt')(target, source, unique_key, dest_columns, incremental_predicates) }}
{%- endmacro %}

{% macro default__get_merge_sql(target, source, unique_key, dest_columns, incremental_predicates=none) -%}
  {%- set conditions = [] + (incremental_predicates or []) -%}
  {%- set cols = get_quoted_csv(dest_columns | map(attribute='name')) -%}
  {%- set update_columns = get_merge_update_columns(config.get('merge_update_columns'), config.get('merge_exclude_columns'), dest_columns) -%}
  {%- set sql_header = config.get('sql_header', none) -%}
  {%- if not unique_key -%}
    {%- do conditions.append('FALSE') -%}
  {%- elif unique_key is string -%}
    {%- do conditions.append(get_merge_unique_key_match(('DBT_INTERNAL_SOURCE.' ~ unique_key) | trim, ('DBT_INTERNAL_DEST.' ~ unique_key) | trim)) -%}
  {%- else -%}
    {%- for key in unique_key -%}
      {%- do conditions.append('DBT_INTERNAL_SOURCE.' ~ key ~ ' = DBT_INTERNAL_DEST.' ~ key) -%}
    {%- endfor -%}
  {%- endif -%}
  {{ sql_header if sql_header is not none }}
  merge into {{ target }} as DBT_INTERNAL_DEST
  using {{ source }} as DBT_INTERNAL_SOURCE
  on ({{ conditions | join(') and (') }})
  {%- if unique_key %}
  when matched then update set
    {% for col in update_columns -%}
      {{ col }} = DBT_INTERNAL_SOURCE.{{ col }}{{ ', ' if not loop.last }}
    {%- endfor %}
  {%- endif %}
  when not matched then insert ({{ cols }})
  values ({{ cols }})
{%- endmacro %}

{#- Delete the target's rows whose unique_key values the source has (and that
    meet every predicate), then insert the source's rows. -#}
{% macro get_delete_insert_merge_sql(target, source, unique_key, dest_columns, incremental_predicates) -%}
  {{ adapter.dispatch('get_delete_insert_merge_sql', 'dbt')(target, source, unique_key, dest_columns, incremental_predicates) }}
{%- endmacro %}

{% macro default__get_delete_insert_merge_sql(target, source, unique_key, dest_columns, incremental_predicates) -%}
  {%- set cols = get_quoted_csv(dest_columns | map(attribute='name')) -%}
  {%- if unique_key -%}
    {%- set keys = ([unique_key] if unique_key is string else unique_key) | join(', ') %}
  delete from {{ target }} as DBT_INTERNAL_DEST
  where ({{ keys }}) in (
    select distinct {{ keys }}
    from {{ source }} as DBT_INTERNAL_SOURCE
  )
    {%- for predicate in (incremental_predicates or []) %}
    and {{ predicate }}
    {%- endfor %};
  {%- endif %}
  insert into {{ target }} ({{ cols }})
  (
    select {{ cols }}
    from {{ source }}
  )
{%- endmacro %}

{#- Replace the target's rows (those meeting the predicates, or all) by the
    source's, in one merge. -#}
{% macro get_insert_overwrite_merge_sql(target, source, dest_columns, predicates, include_sql_header=false) -%}
  {{ adapter.dispatch('get_insert_overwrite_merge_sql', 'dbt')(target, source, dest_columns, predicates, include_sql_header) }}
{%- endmacro %}

{% macro default__get_insert_overwrite_merge_sql(target, source, dest_columns, predicates, include_sql_header) -%}
  {%- set cols = get_quoted_csv(dest_columns | map(attribute='name')) -%}
  {%- set sql_header = config.get('sql_header', none) -%}
  {{ sql_header if sql_header is not none and include_sql_header }}
  merge into {{ target }} as DBT_INTERNAL_DEST
  using {{ source }} as DBT_INTERNAL_SOURCE
  on FALSE
  when not matched by source{{ ' and ' ~ (predicates | join(' and ')) if predicates }}
  then delete
  when not matched then insert ({{ cols }})
  values ({{ cols }})
{%- endmacro %}

{#- insert every destination column of `temp_relation` into `target_relation`. -#}
{% macro get_insert_into_sql(target_relation, temp_relation, dest_columns) -%}
  {%- set cols = get_quoted_csv(dest_columns | map(attribute='name')) -%}
  insert into {{ target_relation }} ({{ cols }})
  (
    select {{ cols }}
    from {{ temp_relation }}
  )
{%- endmacro %}

{#- The strategies by name; each takes the materialization's arg_dict
    (target_relation, temp_relation, unique_key, dest_columns,
    incremental_predicates). -#}
{% macro get_incremental_append_sql(arg_dict) -%}
  {{ return(adapter.dispatch('get_incremental_append_sql', 'dbt')(arg_dict)) }}
{%- endmacro %}

{% macro default__get_incremental_append_sql(arg_dict) -%}
  {{ return(get_insert_into_sql(arg_dict['target_relation'], arg_dict['temp_relation'], arg_dict['dest_columns'])) }}
{%- endmacro %}

{% macro get_incremental_delete_insert_sql(arg_dict) -%}
  {{ return(adapter.dispatch('get_incremental_delete_insert_sql', 'dbt')(arg_dict)) }}
{%- endmacro %}

{% macro default__get_incremental_delete_insert_sql(arg_dict) -%}
  {{ return(get_delete_insert_merge_sql(arg_dict['target_relation'], arg_dict['temp_relation'], arg_dict['unique_key'], arg_dict['dest_columns'], arg_dict['incremental_predicates'])) }}
{%- endmacro %}

{% macro get_incremental_merge_sql(arg_dict) -%}
  {{ return(adapter.dispatch('get_incremental_merge_sql', 'dbt')(arg_dict)) }}
{%- endmacro %}

{% macro default__get_incremental_merge_sql(arg_dict) -%}
  {{ return(get_merge_sql(arg_dict['target_relation'], arg_dict['temp_relation'], arg_dict['unique_key'], arg_dict['dest_columns'], arg_dict['incremental_predicates'])) }}
{%- endmacro %}

{% macro get_incremental_insert_overwrite_sql(arg_dict) -%}
  {{ return(adapter.dispatch('get_incremental_insert_overwrite_sql', 'dbt')(arg_dict)) }}
{%- endmacro %}

{% macro default__get_incremental_insert_overwrite_sql(arg_dict) -%}
  {{ return(get_insert_overwrite_merge_sql(arg_dict['target_relation'], arg_dict['temp_relation'], arg_dict['dest_columns'], arg_dict['incremental_predicates'])) }}
{%- endmacro %}

{#- The `default` strategy is append. -#}
{% macro get_incremental_default_sql(arg_dict) -%}
  {{ return(adapter.dispatch('get_incremental_default_sql', 'dbt')(arg_dict)) }}
{%- endmacro %}

{% macro default__get_incremental_default_sql(arg_dict) -%}
  {{ return(get_incremental_append_sql(arg_dict)) }}
{%- endmacro %}
