{#- Snapshots (type-2 history). Each row carries dbt_scd_id, dbt_updated_at,
    dbt_valid_from and dbt_valid_to (null while current). A run stages the
    source with its key and change time, closes current rows that changed
    (or vanished, with hard_deletes='invalidate'), then inserts the new
    versions, all in one transaction.
    Strategies: timestamp (updated_at column) and check (check_cols).
    hard_deletes: ignore (default), invalidate (close vanished rows), or
    new_record (close them and add a `dbt_is_deleted = 'True'` version;
    a key that comes back closes that marker and gets a new version). -#}

{% macro snapshot_key_expr(unique_key) -%}
  {%- if unique_key is string -%}
    {{ unique_key }}
  {%- else -%}
    {%- for k in unique_key -%}coalesce(cast({{ k }} as varchar), ''){{ " || '|' || " if not loop.last }}{%- endfor -%}
  {%- endif -%}
{%- endmacro %}

{% macro snapshot_hard_deletes(config) -%}
  {%- set mode = config.get('hard_deletes') -%}
  {%- if mode is none -%}
    {%- set mode = 'invalidate' if config.get('invalidate_hard_deletes') else 'ignore' -%}
  {%- endif -%}
  {{ return(mode) }}
{%- endmacro %}

{% materialization snapshot, default %}
  {%- set strategy = config.get('strategy') -%}
  {%- set unique_key = config.require('unique_key') -%}
  {%- if strategy not in ['timestamp', 'check'] -%}
    {{ exceptions.raise_compiler_error("Snapshot '" ~ model['name'] ~ "' has strategy '" ~ strategy ~ "': use 'timestamp' (with updated_at) or 'check' (with check_cols).") }}
  {%- endif -%}
  {%- set target_relation = this.incorporate(type='table') -%}
  {%- set existing_relation = load_cached_relation(this) -%}
  {%- set staging_relation = make_temp_relation(target_relation, '__dbt_tmp') -%}
  {%- set now_sql = get_current_timestamp() ~ '::timestamp' -%}
  {%- set change_time = config.require('updated_at') if strategy == 'timestamp' else now_sql -%}
  {%- set hard_deletes = snapshot_hard_deletes(config) -%}
  {%- set new_record = hard_deletes == 'new_record' -%}
  {%- set live = "dbt_is_deleted = 'False'" if new_record else 'true' -%}
  {{ drop_relation_if_exists(load_cached_relation(staging_relation)) }}
  {{ run_hooks(pre_hooks, inside_transaction=false) }}
  {{ run_hooks(pre_hooks, inside_transaction=true) }}

  {% call statement('stage', auto_begin=true) -%}
    create table {{ staging_relation }} as (
      select *,
        {{ snapshot_key_expr(unique_key) }} as dbt_unique_key__,
        cast({{ change_time }} as timestamp) as dbt_change_time__
      from ({{ sql }}) snapshot_source
    )
  {%- endcall %}
  {% do adapter.cache_added(staging_relation) %}
  {%- set staged_cols = adapter.get_columns_in_relation(staging_relation) | map(attribute='name') | reject('in', ['dbt_unique_key__', 'dbt_change_time__']) | list -%}
  {%- set col_list = staged_cols | map('tojson') | join(', ') -%}
  {%- set scd_id -%}
    md5(coalesce(cast(dbt_unique_key__ as varchar), '') || '|' || coalesce(cast(dbt_change_time__ as varchar), ''))
  {%- endset -%}

  {% if existing_relation is none %}
    {% call statement('main') -%}
      create table {{ target_relation }} as (
        select {{ col_list }},
          {{ scd_id }} as dbt_scd_id,
          dbt_change_time__ as dbt_updated_at,
          dbt_change_time__ as dbt_valid_from,
          cast(null as timestamp) as dbt_valid_to
          {%- if new_record %}, 'False' as dbt_is_deleted{% endif %}
        from {{ staging_relation }}
      )
    {%- endcall %}
  {% else %}
    {%- if strategy == 'timestamp' -%}
      {%- set changed -%}src.dbt_change_time__ > cur.dbt_updated_at{%- endset -%}
    {%- else -%}
      {%- set check_cols = config.get('check_cols') -%}
      {%- set cols = staged_cols if check_cols == 'all' or check_cols is none else check_cols -%}
      {%- set changed -%}
        {%- for c in cols -%}src.{{ c }} is distinct from cur.{{ c }}{{ ' or ' if not loop.last }}{%- endfor -%}
      {%- endset -%}
    {%- endif -%}
    {% call statement('close_changed') -%}
      update {{ target_relation }} as snap
      set dbt_valid_to = changes.dbt_change_time__
      from (
        select cur.dbt_scd_id, src.dbt_change_time__
        from (select *, {{ snapshot_key_expr(unique_key) }} as dbt_unique_key__ from {{ target_relation }} where dbt_valid_to is null and {{ live }}) cur
        join {{ staging_relation }} src on src.dbt_unique_key__ = cur.dbt_unique_key__
        where {{ changed }}
      ) changes
      where snap.dbt_scd_id = changes.dbt_scd_id
    {%- endcall %}
    {%- set vanished -%}
      dbt_valid_to is null and {{ live }}
      and {{ snapshot_key_expr(unique_key) }} not in (select dbt_unique_key__ from {{ staging_relation }} where dbt_unique_key__ is not null)
    {%- endset -%}
    {% if new_record %}
      {% call statement('mark_deleted') -%}
        insert into {{ target_relation }} ({{ col_list }}, dbt_scd_id, dbt_updated_at, dbt_valid_from, dbt_valid_to, dbt_is_deleted)
        select {{ col_list }}, md5(coalesce(cast({{ snapshot_key_expr(unique_key) }} as varchar), '') || '|' || cast({{ now_sql }} as varchar)), {{ now_sql }}, {{ now_sql }}, cast(null as timestamp), 'True'
        from {{ target_relation }}
        where {{ vanished }}
      {%- endcall %}
      {% call statement('close_returned') -%}
        update {{ target_relation }}
        set dbt_valid_to = {{ now_sql }}
        where dbt_valid_to is null and dbt_is_deleted = 'True'
          and {{ snapshot_key_expr(unique_key) }} in (select dbt_unique_key__ from {{ staging_relation }})
      {%- endcall %}
    {% endif %}
    {% if hard_deletes in ['invalidate', 'new_record'] %}
      {% call statement('close_deleted') -%}
        update {{ target_relation }}
        set dbt_valid_to = {{ now_sql }}
        where {{ vanished }}
      {%- endcall %}
    {% endif %}
    {% call statement('main') -%}
      insert into {{ target_relation }} ({{ col_list }}, dbt_scd_id, dbt_updated_at, dbt_valid_from, dbt_valid_to{{ ', dbt_is_deleted' if new_record }})
      select {{ col_list }}, {{ scd_id }}, dbt_change_time__, dbt_change_time__, cast(null as timestamp){{ ", 'False'" if new_record }}
      from {{ staging_relation }} src
      where not exists (
        select 1 from (select {{ snapshot_key_expr(unique_key) }} as dbt_unique_key__ from {{ target_relation }} where dbt_valid_to is null) cur
        where cur.dbt_unique_key__ = src.dbt_unique_key__
      )
    {%- endcall %}
  {% endif %}

  {{ run_hooks(post_hooks, inside_transaction=true) }}
  {{ adapter.commit() }}
  {{ drop_relation_if_exists(staging_relation) }}
  {{ run_hooks(post_hooks, inside_transaction=false) }}
  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
