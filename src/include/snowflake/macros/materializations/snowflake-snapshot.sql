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
    (check_cols, a list or 'all'). -#}

{% macro snowflake_snapshot_meta_columns() -%}
  {{ return(['DBT_SCD_ID', 'DBT_UPDATED_AT', 'DBT_VALID_FROM', 'DBT_VALID_TO', 'DBT_CHANGE_TYPE', 'DBT_UNIQUE_KEY', 'DBT_CHANGE_TIME']) }}
{%- endmacro %}

{% macro snowflake_snapshot_key(unique_key, alias) -%}
  {%- set keys = [unique_key] if unique_key is string else unique_key -%}
  {%- if keys | length == 1 -%}
    {{ alias }}.{{ keys[0] }}
  {%- else -%}
    {%- for k in keys -%}coalesce(cast({{ alias }}.{{ k }} as varchar), ''){{ " || '|' || " if not loop.last }}{%- endfor -%}
  {%- endif -%}
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
  {%- if hard_deletes not in ['ignore', 'invalidate'] -%}
    {{ exceptions.raise_compiler_error("Snapshot '" ~ model['name'] ~ "' has hard_deletes='" ~ hard_deletes ~ "': on Snowflake tsdbt supports 'ignore' and 'invalidate'.") }}
  {%- endif -%}
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
          {{ snowflake_snapshot_scd_id(snowflake_snapshot_key(unique_key, 'src'), change_time) }} as dbt_scd_id,
          cast({{ change_time }} as timestamp_ntz) as dbt_updated_at,
          cast({{ change_time }} as timestamp_ntz) as dbt_valid_from,
          cast(null as timestamp_ntz) as dbt_valid_to
        from (
          {{ sql }}
        ) src
      )
    {%- endcall %}
  {% else %}
    {%- set meta = snowflake_snapshot_meta_columns() -%}
    {%- set source_columns = [] -%}
    {%- for c in snowflake__get_columns_in_relation(existing_relation) if c.name | upper not in meta -%}{% do source_columns.append(c) %}{%- endfor -%}
    {%- if strategy == 'timestamp' -%}
      {%- set changed = change_time ~ ' > cur.dbt_updated_at' -%}
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
          select * from {{ target_relation }} where dbt_valid_to is null
        ),
        insertions as (
          select src.*, 'insert' as dbt_change_type,
            {{ snowflake_snapshot_scd_id(snowflake_snapshot_key(unique_key, 'src'), change_time) }} as dbt_scd_id,
            cast({{ change_time }} as timestamp_ntz) as dbt_updated_at,
            cast({{ change_time }} as timestamp_ntz) as dbt_valid_from,
            cast(null as timestamp_ntz) as dbt_valid_to
          from src left join cur on {{ snowflake_snapshot_key(unique_key, 'src') }} = {{ snowflake_snapshot_key(unique_key, 'cur') }}
          where cur.dbt_scd_id is null or {{ changed }}
        ),
        updates as (
          select src.*, 'update' as dbt_change_type, cur.dbt_scd_id,
            cast({{ change_time }} as timestamp_ntz) as dbt_updated_at,
            cur.dbt_valid_from,
            cast({{ change_time }} as timestamp_ntz) as dbt_valid_to
          from src join cur on {{ snowflake_snapshot_key(unique_key, 'src') }} = {{ snowflake_snapshot_key(unique_key, 'cur') }}
          where {{ changed }}
        )
        {%- if hard_deletes == 'invalidate' %},
        deletes as (
          select src.*, 'delete' as dbt_change_type, cur.dbt_scd_id,
            {{ now_sql }} as dbt_updated_at,
            cur.dbt_valid_from,
            {{ now_sql }} as dbt_valid_to
          from cur left join src on {{ snowflake_snapshot_key(unique_key, 'src') }} = {{ snowflake_snapshot_key(unique_key, 'cur') }}
          where {{ snowflake_snapshot_key(unique_key, 'src') }} is null
        )
        {%- endif %}
        select * from insertions
        union all
        select * from updates
        {%- if hard_deletes == 'invalidate' %}
        union all
        select * from deletes
        {%- endif %}
      )
    {%- endcall %}
    {%- set insert_cols = source_columns | map(attribute='quoted') | list + ['dbt_scd_id', 'dbt_updated_at', 'dbt_valid_from', 'dbt_valid_to'] -%}
    {% call statement('main') -%}
      merge into {{ target_relation }} as DBT_INTERNAL_DEST
      using {{ staging_relation }} as DBT_INTERNAL_SOURCE
      on DBT_INTERNAL_SOURCE.dbt_scd_id = DBT_INTERNAL_DEST.dbt_scd_id
      when matched
        and DBT_INTERNAL_DEST.dbt_valid_to is null
        and DBT_INTERNAL_SOURCE.dbt_change_type in ('update', 'delete')
        then update set dbt_valid_to = DBT_INTERNAL_SOURCE.dbt_valid_to
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
