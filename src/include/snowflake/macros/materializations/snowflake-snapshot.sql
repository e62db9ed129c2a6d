{#- Snapshots on Snowflake (type-2 history), applied with one MERGE as
    dbt-snowflake does. The first run creates the table from the query with
    dbt_scd_id, dbt_updated_at, dbt_valid_from and dbt_valid_to (null while
    current). Later runs stage the changes in a temporary table, each row
    tagged with dbt_change_type:
      insert  a new key, or the new version of a changed row
      update  the current version of a changed row, to be closed
      delete  (hard_deletes='invalidate') a current row whose key vanished
    and merge them on dbt_scd_id: updates and deletes set dbt_valid_to,
    inserts add rows. Strategies: timestamp (updated_at) and check
    (check_cols, a list or 'all').
    dbt 1.9 configs: snapshot_meta_column_names renames the meta columns;
    dbt_valid_to_current is the valid-to of current rows (instead of null);
    hard_deletes='new_record' also stages, for each vanished key, an insert
    of a marker version whose dbt_is_deleted is 'True' (every staged row
    then lists the table's columns explicitly, as the marker's values come
    from the current row, not from the query); a key that comes back
    closes its marker and gets a new version. With the default configs the
    SQL is the same as before these options existed. -#}

{% macro snowflake_snapshot_meta_columns(names) -%}
  {%- set meta = [] -%}
  {%- for k in ['dbt_scd_id', 'dbt_updated_at', 'dbt_valid_from', 'dbt_valid_to', 'dbt_is_deleted'] -%}{% do meta.append(names[k] | upper) %}{%- endfor -%}
  {{ return(meta + ['DBT_CHANGE_TYPE', 'DBT_UNIQUE_KEY', 'DBT_CHANGE_TIME']) }}
{%- endmacro %}

{% macro snowflake_snapshot_key(unique_key, alias) -%}
  {%- set keys = [unique_key] if unique_key is string else unique_key -%}
  {%- if keys | length == 1 -%}
    {{ alias }}.{{ keys[0] }}
  {%- else -%}
    {%- for k in keys -%}coalesce(cast({{ alias }}.{{ k }} as varchar), ''){{ " || '|' || " if not loop.last }}{%- endfor -%}
  {%- endif -%}
{%- endmacro %}

{#- After `cur left join src`: the current row's key is not in the source.
    The concatenated key of a list is never null, so test each column. -#}
{% macro snowflake_snapshot_key_missing(unique_key, alias) -%}
  {%- set keys = [unique_key] if unique_key is string else unique_key -%}
  {%- for k in keys -%}{{ alias }}.{{ k }} is null{{ ' and ' if not loop.last }}{%- endfor -%}
{%- endmacro %}

{% macro snowflake_snapshot_scd_id(key_sql, time_sql) -%}
  md5(coalesce(cast({{ key_sql }} as varchar), '') || '|' || coalesce(cast({{ time_sql }} as varchar), ''))
{%- endmacro %}

{% materialization snapshot, adapter='snowflake' %}
  {%- set original_query_tag = set_query_tag() -%}
  {%- set strategy = config.get('strategy') -%}
  {%- set unique_key = config.require('unique_key') -%}
  {%- if strategy not in ['timestamp', 'check'] -%}
    {{ exceptions.raise_compiler_error("Snapshot '" ~ model['name'] ~ "' has strategy '" ~ strategy ~ "': use 'timestamp' (with updated_at) or 'check' (with check_cols).") }}
  {%- endif -%}
  {%- set hard_deletes = snapshot_hard_deletes(config) -%}
  {%- set new_record = hard_deletes == 'new_record' -%}
  {%- set n = snapshot_column_names(config) -%}
  {%- set valid_to_current = snapshot_valid_to_current(config, 'timestamp_ntz') -%}
  {%- set target_relation = this.incorporate(type='table') -%}
  {%- set existing_relation = load_cached_relation(this) -%}
  {%- set staging_relation = make_temp_relation(target_relation, '__dbt_tmp') -%}
  {%- set now_sql = 'convert_timezone(\'UTC\', current_timestamp())::timestamp_ntz' -%}
  {%- set change_time = 'src.' ~ config.require('updated_at') if strategy == 'timestamp' else now_sql -%}
  {{ run_hooks(pre_hooks, inside_transaction=false) }}
  {{ run_hooks(pre_hooks, inside_transaction=true) }}

  {% if existing_relation is none %}
    {% call statement('main', auto_begin=false) -%}
      create or replace {{ 'transient ' if config.get('transient', default=true) }}table {{ target_relation }} as (
        select src.*,
          {{ snowflake_snapshot_scd_id(snowflake_snapshot_key(unique_key, 'src'), change_time) }} as {{ n.dbt_scd_id }},
          cast({{ change_time }} as timestamp_ntz) as {{ n.dbt_updated_at }},
          cast({{ change_time }} as timestamp_ntz) as {{ n.dbt_valid_from }},
          {{ valid_to_current }} as {{ n.dbt_valid_to }}{% if new_record %},
          'False' as {{ n.dbt_is_deleted }}{% endif %}
        from (
          {{ sql }}
        ) src
      )
    {%- endcall %}
  {% else %}
    {%- set meta = snowflake_snapshot_meta_columns(n) -%}
    {%- set target_columns = snowflake__get_columns_in_relation(existing_relation) -%}
    {%- set target_names = target_columns | map(attribute='name') | map('upper') | list -%}
    {%- set missing = [] -%}
    {%- for col in [n.dbt_scd_id, n.dbt_updated_at, n.dbt_valid_from, n.dbt_valid_to] if col | upper not in target_names -%}{% do missing.append(col) %}{%- endfor -%}
    {%- if missing -%}
      {{ exceptions.raise_compiler_error("Snapshot '" ~ model['name'] ~ "': the existing table " ~ target_relation ~ " has no column " ~ missing | join(', ') ~ ". Rename the column(s) to match snapshot_meta_column_names, or drop the table so the next run rebuilds it.") }}
    {%- endif -%}
    {% if new_record and n.dbt_is_deleted | upper not in target_names %}
      {% call statement('add_is_deleted', auto_begin=false) -%}
        alter table {{ target_relation }} add column {{ n.dbt_is_deleted }} varchar
      {%- endcall %}
    {% endif %}
    {%- set source_columns = [] -%}
    {%- for c in target_columns if c.name | upper not in meta -%}{% do source_columns.append(c) %}{%- endfor -%}
    {%- set src_cols = [] -%}
    {%- set cur_cols = [] -%}
    {%- for c in source_columns -%}{% do src_cols.append('src.' ~ c.quoted) %}{% do cur_cols.append('cur.' ~ c.quoted) %}{%- endfor -%}
    {%- set src_select = src_cols | join(', ') if new_record else 'src.*' -%}
    {%- set live = "coalesce(cur." ~ n.dbt_is_deleted ~ ", 'False') = 'False'" -%}
    {%- set returning = "cur." ~ n.dbt_is_deleted ~ " = 'True'" -%}
    {%- if strategy == 'timestamp' -%}
      {%- set changed = change_time ~ ' > cur.' ~ n.dbt_updated_at -%}
    {%- else -%}
      {%- set check_cols = config.get('check_cols') -%}
      {%- set cols = source_columns | map(attribute='name') | list if check_cols in [none, 'all'] else check_cols -%}
      {%- set changed -%}({% for c in cols %}src.{{ c }} is distinct from cur.{{ c }}{{ ' or ' if not loop.last }}{% endfor %}){%- endset -%}
    {%- endif -%}
    {% call statement('stage_changes', auto_begin=false) -%}
      create or replace temporary table {{ staging_relation }} as (
        with src as (
          select * from (
            {{ sql }}
          )
        ),
        cur as (
          select * from {{ target_relation }} where {{ snapshot_is_current(n.dbt_valid_to, config) }}
        ),
        insertions as (
          select {{ src_select }}, 'insert' as dbt_change_type,
            {% if new_record %}case when {{ returning }} then {{ snowflake_snapshot_scd_id(snowflake_snapshot_key(unique_key, 'src'), now_sql) }} else {{ snowflake_snapshot_scd_id(snowflake_snapshot_key(unique_key, 'src'), change_time) }} end{% else %}{{ snowflake_snapshot_scd_id(snowflake_snapshot_key(unique_key, 'src'), change_time) }}{% endif %} as {{ n.dbt_scd_id }},
            cast({{ change_time }} as timestamp_ntz) as {{ n.dbt_updated_at }},
            cast({{ change_time }} as timestamp_ntz) as {{ n.dbt_valid_from }},
            {{ valid_to_current }} as {{ n.dbt_valid_to }}{% if new_record %},
            'False' as {{ n.dbt_is_deleted }}{% endif %}
          from src left join cur on {{ snowflake_snapshot_key(unique_key, 'src') }} = {{ snowflake_snapshot_key(unique_key, 'cur') }}
          where cur.{{ n.dbt_scd_id }} is null or {{ changed }}{% if new_record %} or {{ returning }}{% endif %}
        ),
        updates as (
          select {{ src_select }}, 'update' as dbt_change_type, cur.{{ n.dbt_scd_id }},
            cast({{ change_time }} as timestamp_ntz) as {{ n.dbt_updated_at }},
            cur.{{ n.dbt_valid_from }},
            {% if new_record %}case when {{ returning }} then {{ now_sql }} else cast({{ change_time }} as timestamp_ntz) end{% else %}cast({{ change_time }} as timestamp_ntz){% endif %} as {{ n.dbt_valid_to }}{% if new_record %},
            'False' as {{ n.dbt_is_deleted }}{% endif %}
          from src join cur on {{ snowflake_snapshot_key(unique_key, 'src') }} = {{ snowflake_snapshot_key(unique_key, 'cur') }}
          where {{ changed }}{% if new_record %} or {{ returning }}{% endif %}
        )
        {%- if hard_deletes in ['invalidate', 'new_record'] %},
        deletes as (
          select {{ src_select }}, 'delete' as dbt_change_type, cur.{{ n.dbt_scd_id }},
            {{ now_sql }} as {{ n.dbt_updated_at }},
            cur.{{ n.dbt_valid_from }},
            {{ now_sql }} as {{ n.dbt_valid_to }}{% if new_record %},
            'False' as {{ n.dbt_is_deleted }}{% endif %}
          from cur left join src on {{ snowflake_snapshot_key(unique_key, 'src') }} = {{ snowflake_snapshot_key(unique_key, 'cur') }}
          where {{ snowflake_snapshot_key_missing(unique_key, 'src') }}{% if new_record %} and {{ live }}{% endif %}
        )
        {%- endif %}
        {%- if new_record %},
        deletion_records as (
          select {{ cur_cols | join(', ') }}, 'insert' as dbt_change_type,
            {{ snowflake_snapshot_scd_id(snowflake_snapshot_key(unique_key, 'cur'), now_sql) }} as {{ n.dbt_scd_id }},
            {{ now_sql }} as {{ n.dbt_updated_at }},
            {{ now_sql }} as {{ n.dbt_valid_from }},
            {{ valid_to_current }} as {{ n.dbt_valid_to }},
            'True' as {{ n.dbt_is_deleted }}
          from cur left join src on {{ snowflake_snapshot_key(unique_key, 'src') }} = {{ snowflake_snapshot_key(unique_key, 'cur') }}
          where {{ snowflake_snapshot_key_missing(unique_key, 'src') }} and {{ live }}
        )
        {%- endif %}
        select * from insertions
        union all
        select * from updates
        {%- if hard_deletes in ['invalidate', 'new_record'] %}
        union all
        select * from deletes
        {%- endif %}
        {%- if new_record %}
        union all
        select * from deletion_records
        {%- endif %}
      )
    {%- endcall %}
    {%- set insert_cols = source_columns | map(attribute='quoted') | list + [n.dbt_scd_id, n.dbt_updated_at, n.dbt_valid_from, n.dbt_valid_to] + ([n.dbt_is_deleted] if new_record else []) -%}
    {% call statement('main') -%}
      merge into {{ target_relation }} as DBT_INTERNAL_DEST
      using {{ staging_relation }} as DBT_INTERNAL_SOURCE
      on DBT_INTERNAL_SOURCE.dbt_scd_id = DBT_INTERNAL_DEST.dbt_scd_id
      when matched
        and {{ snapshot_is_current('DBT_INTERNAL_DEST.' ~ n.dbt_valid_to, config) }}
        and DBT_INTERNAL_SOURCE.dbt_change_type in ('update', 'delete')
        then update set {{ n.dbt_valid_to }} = DBT_INTERNAL_SOURCE.{{ n.dbt_valid_to }}
      when not matched
        and DBT_INTERNAL_SOURCE.dbt_change_type = 'insert'
        then insert ({{ insert_cols | join(', ') }})
        values ({% for c in insert_cols %}DBT_INTERNAL_SOURCE.{{ c }}{{ ', ' if not loop.last }}{% endfor %})
    {%- endcall %}
  {% endif %}

  {{ run_hooks(post_hooks, inside_transaction=true) }}
  {{ adapter.commit() }}
  {% if existing_relation is not none %}
    {% call statement('drop_staging', auto_begin=false) -%}
      drop table if exists {{ staging_relation }}
    {%- endcall %}
  {% endif %}
  {{ run_hooks(post_hooks, inside_transaction=false) }}
  {% do snowflake_apply_grants(target_relation, config.get('grants'), should_revoke=existing_relation is not none) %}
  {% do unset_query_tag(original_query_tag) %}
  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
