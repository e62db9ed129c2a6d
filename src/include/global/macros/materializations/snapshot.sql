{#- Snapshots (type-2 history). Each row carries four meta columns, named
    by snapshot_meta_column_names (defaults dbt_scd_id, dbt_updated_at,
    dbt_valid_from, dbt_valid_to); dbt_valid_to holds dbt_valid_to_current
    (null unless configured) while the row is current. A run stages the
    source with its key and change time, closes current rows that changed
    (or vanished, with hard_deletes='invalidate'), then inserts the new
    versions, all in one transaction.
    Strategies: timestamp (updated_at column) and check (check_cols).
    unique_key: a column, an expression or a list of columns.
    hard_deletes: ignore (default), invalidate (close vanished rows), or
    new_record (close them and add a version whose dbt_is_deleted is 'True';
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
  {%- if mode not in ['ignore', 'invalidate', 'new_record'] -%}
    {{ exceptions.raise_compiler_error("Snapshot has hard_deletes='" ~ mode ~ "': use 'ignore', 'invalidate' or 'new_record'.") }}
  {%- endif -%}
  {{ return(mode) }}
{%- endmacro %}

{#- The meta column names after snapshot_meta_column_names: a dict keyed by
    the default names (dbt_scd_id, dbt_updated_at, dbt_valid_from,
    dbt_valid_to, dbt_is_deleted). -#}
{% macro snapshot_column_names(config) -%}
  {%- set given = config.get('snapshot_meta_column_names') or {} -%}
  {%- set names = {} -%}
  {%- for col in ['dbt_scd_id', 'dbt_updated_at', 'dbt_valid_from', 'dbt_valid_to', 'dbt_is_deleted'] -%}
    {%- do names.update({col: given.get(col) or col}) -%}
  {%- endfor -%}
  {{ return(names) }}
{%- endmacro %}

{#- "This row is current": its valid-to column is null, or equals
    dbt_valid_to_current when that is configured (rows written before it was
    set keep null and still count as current). -#}
{% macro snapshot_is_current(valid_to, config) -%}
  {%- set current = config.get('dbt_valid_to_current') -%}
  {%- if current -%}
    ({{ valid_to }} is null or {{ valid_to }} = {{ current }})
  {%- else -%}
    {{ valid_to }} is null
  {%- endif -%}
{%- endmacro %}

{#- The valid-to value of a current row. -#}
{% macro snapshot_valid_to_current(config, type='timestamp') -%}
  cast({{ config.get('dbt_valid_to_current') or 'null' }} as {{ type }})
{%- endmacro %}

{#- On an existing table: every meta column the config names must be there
    (a rename on an existing snapshot would otherwise write to nothing);
    hard_deletes='new_record' adds the deleted-flag column if it is missing. -#}
{% macro snapshot_check_target(relation, names, new_record) -%}
  {%- set existing = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
  {%- set missing = [] -%}
  {%- for col in [names.dbt_scd_id, names.dbt_updated_at, names.dbt_valid_from, names.dbt_valid_to] -%}
    {%- if col | lower not in existing -%}{%- do missing.append(col) -%}{%- endif -%}
  {%- endfor -%}
  {%- if missing -%}
    {{ exceptions.raise_compiler_error("Snapshot '" ~ model['name'] ~ "': the existing table " ~ relation ~ " has no column " ~ missing | join(', ') ~ ". Rename the column(s) to match snapshot_meta_column_names, or drop the table so the next run rebuilds it.") }}
  {%- endif -%}
  {%- if new_record and names.dbt_is_deleted | lower not in existing -%}
    {% call statement('add_is_deleted') -%}
      alter table {{ relation }} add column {{ names.dbt_is_deleted }} varchar
    {%- endcall %}
  {%- endif -%}
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
  {%- set n = snapshot_column_names(config) -%}
  {%- set scd_id_col = n.dbt_scd_id -%}
  {%- set updated_at_col = n.dbt_updated_at -%}
  {%- set valid_from_col = n.dbt_valid_from -%}
  {%- set valid_to_col = n.dbt_valid_to -%}
  {%- set is_deleted_col = n.dbt_is_deleted -%}
  {%- set valid_to_current = snapshot_valid_to_current(config) -%}
  {%- set is_current = snapshot_is_current(valid_to_col, config) -%}
  {%- set live = "coalesce(" ~ is_deleted_col ~ ", 'False') = 'False'" if new_record else 'true' -%}
  {{ drop_relation_if_exists(load_cached_relation(staging_relation)) }}
  {{ run_hooks(pre_hooks, inside_transaction=false) }}
  {{ run_hooks(pre_hooks, inside_transaction=true) }}

  {#- The staging rows go to a temporary table (make_temp_relation says where:
      on DuckDB the `temp` catalog), never into the target's or another schema. -#}
  {%- set staging_sql -%}
    select *,
        {{ snapshot_key_expr(unique_key) }} as dbt_unique_key__,
        cast({{ change_time }} as timestamp) as dbt_change_time__
      from ({{ sql }}) snapshot_source
  {%- endset -%}
  {% call statement('stage', auto_begin=true) -%}
    {{ create_table_as(true, staging_relation, staging_sql) }}
  {%- endcall %}
  {% do adapter.cache_added(staging_relation) %}
  {%- set staged_cols = adapter.get_columns_in_relation(staging_relation) | map(attribute='name') | reject('in', ['dbt_unique_key__', 'dbt_change_time__']) | list -%}
  {%- set col_list = staged_cols | map('tojson') | join(', ') -%}
  {%- set scd_id -%}
    md5(coalesce(cast(dbt_unique_key__ as varchar), '') || '|' || coalesce(cast(dbt_change_time__ as varchar), ''))
  {%- endset -%}
  {%- set meta_cols = [scd_id_col, updated_at_col, valid_from_col, valid_to_col] + ([is_deleted_col] if new_record else []) -%}

  {% if existing_relation is none %}
    {% call statement('main') -%}
      create table {{ target_relation }} as (
        select {{ col_list }},
          {{ scd_id }} as {{ scd_id_col }},
          dbt_change_time__ as {{ updated_at_col }},
          dbt_change_time__ as {{ valid_from_col }},
          {{ valid_to_current }} as {{ valid_to_col }}
          {%- if new_record %}, 'False' as {{ is_deleted_col }}{% endif %}
        from {{ staging_relation }}
      )
    {%- endcall %}
  {% else %}
    {{ snapshot_check_target(existing_relation, n, new_record) }}
    {%- if strategy == 'timestamp' -%}
      {%- set changed -%}src.dbt_change_time__ > cur.{{ updated_at_col }}{%- endset -%}
    {%- else -%}
      {%- set check_cols = config.get('check_cols') -%}
      {%- set cols = staged_cols if check_cols == 'all' or check_cols is none else check_cols -%}
      {%- set changed -%}
        {%- for c in cols -%}src.{{ c }} is distinct from cur.{{ c }}{{ ' or ' if not loop.last }}{%- endfor -%}
      {%- endset -%}
    {%- endif -%}
    {% call statement('close_changed') -%}
      update {{ target_relation }} as snap
      set {{ valid_to_col }} = changes.dbt_change_time__
      from (
        select cur.{{ scd_id_col }} as dbt_scd_id__, src.dbt_change_time__
        from (select *, {{ snapshot_key_expr(unique_key) }} as dbt_unique_key__ from {{ target_relation }} where {{ is_current }} and {{ live }}) cur
        join {{ staging_relation }} src on src.dbt_unique_key__ = cur.dbt_unique_key__
        where {{ changed }}
      ) changes
      where snap.{{ scd_id_col }} = changes.dbt_scd_id__ and {{ snapshot_is_current('snap.' ~ valid_to_col, config) }}
    {%- endcall %}
    {%- set vanished -%}
      {{ is_current }} and {{ live }}
      and {{ snapshot_key_expr(unique_key) }} not in (select dbt_unique_key__ from {{ staging_relation }} where dbt_unique_key__ is not null)
    {%- endset -%}
    {% if new_record %}
      {% call statement('mark_deleted') -%}
        insert into {{ target_relation }} ({{ col_list }}, {{ meta_cols | join(', ') }})
        select {{ col_list }}, md5(coalesce(cast({{ snapshot_key_expr(unique_key) }} as varchar), '') || '|' || cast({{ now_sql }} as varchar)), {{ now_sql }}, {{ now_sql }}, {{ valid_to_current }}, 'True'
        from {{ target_relation }}
        where {{ vanished }}
      {%- endcall %}
      {% call statement('close_returned') -%}
        update {{ target_relation }}
        set {{ valid_to_col }} = {{ now_sql }}
        where {{ is_current }} and {{ is_deleted_col }} = 'True'
          and {{ snapshot_key_expr(unique_key) }} in (select dbt_unique_key__ from {{ staging_relation }})
      {%- endcall %}
    {% endif %}
    {% if hard_deletes in ['invalidate', 'new_record'] %}
      {% call statement('close_deleted') -%}
        update {{ target_relation }}
        set {{ valid_to_col }} = {{ now_sql }}
        where {{ vanished }}
      {%- endcall %}
    {% endif %}
    {% call statement('main') -%}
      insert into {{ target_relation }} ({{ col_list }}, {{ meta_cols | join(', ') }})
      select {{ col_list }},
        {%- if new_record %}
        {#- A key back from deletion may bring the same change time as its first version: make its id unique. #}
        case when dbt_unique_key__ in (select {{ snapshot_key_expr(unique_key) }} from {{ target_relation }} where {{ is_deleted_col }} = 'True')
          then md5(coalesce(cast(dbt_unique_key__ as varchar), '') || '|' || cast({{ now_sql }} as varchar)) else {{ scd_id }} end,
        {%- else %} {{ scd_id }},{% endif %}
        dbt_change_time__, dbt_change_time__, {{ valid_to_current }}{{ ", 'False'" if new_record }}
      from {{ staging_relation }} src
      where not exists (
        select 1 from (select {{ snapshot_key_expr(unique_key) }} as dbt_unique_key__ from {{ target_relation }} where {{ is_current }}) cur
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
