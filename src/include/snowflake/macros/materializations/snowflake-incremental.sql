{#- incremental on Snowflake (dbt-snowflake 1.9 behaviour). The first run,
    a full refresh, or a view in the way builds the table with one atomic
    `create or replace`. Later runs put the new rows in a temporary relation
    next to the target (a view when one statement reads it, a table when
    delete+insert reads it twice), reconcile columns per on_schema_change,
    and apply the strategy through its macro, get_incremental_<strategy>_sql
    (merge when the model names none), found by name so a project's own
    strategies and overrides take effect. -#}

{#- view for merge/append and for delete+insert without a unique_key; a
    table otherwise, so the delete and the insert see the same rows. -#}
{% macro snowflake_tmp_relation_type(strategy, unique_key) -%}
  {%- set configured = config.get('tmp_relation_type') -%}
  {%- if configured is not none and configured not in ['table', 'view'] -%}
    {{ exceptions.raise_compiler_error("tmp_relation_type must be 'table' or 'view', got '" ~ configured ~ "'") }}
  {%- endif -%}
  {%- if strategy in ['delete+insert', 'microbatch'] and unique_key is not none -%}
    {%- if configured == 'view' -%}
      {{ exceptions.raise_compiler_error("The " ~ strategy ~ " strategy with a unique_key needs tmp_relation_type 'table' (the delete and the insert must read the same rows), but 'view' was configured.") }}
    {%- endif -%}
    {{ return('table') }}
  {%- endif -%}
  {{ return(configured or 'view') }}
{%- endmacro %}

{#- No strategy named: merge. -#}
{% macro snowflake__get_incremental_default_sql(arg_dict) -%}
  {{ return(get_incremental_merge_sql(arg_dict)) }}
{%- endmacro %}

{#- Snowflake's merge: without a unique_key nothing could match, so the new
    rows are simply inserted (Snowflake dislikes a merge on a constant false). -#}
{% macro snowflake__get_merge_sql(target, source, unique_key, dest_columns, incremental_predicates=none) -%}
  {%- if unique_key is none -%}
    {%- set sql_header = config.get('sql_header', none) -%}
    {{ sql_header if sql_header is not none }}
    {{ get_insert_into_sql(target, source, dest_columns) }}
  {%- else -%}
    {{ default__get_merge_sql(target, source, unique_key, dest_columns, incremental_predicates) }}
  {%- endif -%}
{%- endmacro %}

{% materialization incremental, adapter='snowflake' %}
  {%- set original_query_tag = set_query_tag() -%}
  {%- set full_refresh_mode = should_full_refresh() -%}
  {%- set existing_relation = load_cached_relation(this) -%}
  {%- set target_relation = this.incorporate(type='table') -%}
  {%- set unique_key = config.get('unique_key') -%}
  {%- set strategy = config.get('incremental_strategy') or 'default' -%}
  {%- set tmp_relation_type = snowflake_tmp_relation_type(strategy, unique_key) -%}
  {%- set tmp_relation = make_temp_relation(target_relation).incorporate(type=tmp_relation_type) -%}
  {%- set on_schema_change = incremental_validate_on_schema_change(config.get('on_schema_change'), default='ignore') -%}

  {{ run_hooks(pre_hooks, inside_transaction=false) }}
  {{ run_hooks(pre_hooks, inside_transaction=true) }}

  {% if existing_relation is none or full_refresh_mode or not existing_relation.is_table %}
    {% if existing_relation is not none and not existing_relation.is_table %}
      {{ log("Dropping relation " ~ existing_relation ~ " because it is a " ~ existing_relation.type ~ " and this model is a table.") }}
      {{ adapter.drop_relation(existing_relation) }}
    {% endif %}
    {% call statement('main', auto_begin=false) -%}
      {{ get_create_table_as_sql(false, target_relation, sql) }}
    {%- endcall %}
  {% else %}
    {#- Found first, so an unknown strategy fails before anything is built or altered. -#}
    {%- set strategy_sql_macro_func = adapter.get_incremental_strategy_macro(context, strategy) -%}
    {% call statement('create_tmp_relation', auto_begin=false) -%}
      {%- if tmp_relation_type == 'view' -%}
        {{ snowflake_create_temporary_view(tmp_relation, sql) }}
      {%- else -%}
        {{ get_create_table_as_sql(true, tmp_relation, sql) }}
      {%- endif -%}
    {%- endcall %}
    {%- set dest_columns = snowflake_process_schema_changes(on_schema_change, tmp_relation, existing_relation) -%}
    {%- if not dest_columns -%}
      {%- set dest_columns = snowflake__get_columns_in_relation(existing_relation) -%}
    {%- endif -%}
    {%- set arg_dict = {
        'target_relation': target_relation,
        'temp_relation': tmp_relation,
        'unique_key': unique_key,
        'dest_columns': dest_columns,
        'incremental_predicates': config.get('predicates') or config.get('incremental_predicates')
    } -%}
    {% call statement('main') -%}
      {{ strategy_sql_macro_func(arg_dict) }}
    {%- endcall %}
  {% endif %}

  {{ run_hooks(post_hooks, inside_transaction=true) }}
  {{ adapter.commit() }}
  {% if existing_relation is not none and existing_relation.is_table and not full_refresh_mode %}
    {% call statement('drop_tmp_relation', auto_begin=false) -%}
      drop {{ tmp_relation_type }} if exists {{ tmp_relation }}
    {%- endcall %}
  {% endif %}
  {{ run_hooks(post_hooks, inside_transaction=false) }}
  {% do snowflake_apply_grants(target_relation, config.get('grants'), should_revoke=config.get('copy_grants', default=false) or (existing_relation is not none and not full_refresh_mode)) %}
  {% do unset_query_tag(original_query_tag) %}
  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}

{#- on_schema_change with Snowflake's introspection (`describe table`).
    Returns the columns to write, or none for "the target's columns". -#}
{% macro snowflake_process_schema_changes(on_schema_change, source_relation, target_relation) -%}
  {%- if on_schema_change == 'ignore' -%}
    {{ return(none) }}
  {%- endif -%}
  {%- set source_columns = snowflake__get_columns_in_relation(source_relation) -%}
  {%- set target_columns = snowflake__get_columns_in_relation(target_relation) -%}
  {%- set source_names = source_columns | map(attribute='name') | map('upper') | list -%}
  {%- set target_names = target_columns | map(attribute='name') | map('upper') | list -%}
  {%- set add = [] -%}
  {%- for c in source_columns if c.name | upper not in target_names -%}{% do add.append(c) %}{%- endfor -%}
  {%- set remove = [] -%}
  {%- for c in target_columns if c.name | upper not in source_names -%}{% do remove.append(c) %}{%- endfor -%}
  {%- set changed = [] -%}
  {%- for t in target_columns -%}
    {%- for s in source_columns if s.name | upper == t.name | upper and s.data_type | upper != t.data_type | upper -%}
      {% do changed.append({'column_name': t.name, 'new_type': s.data_type}) %}
    {%- endfor -%}
  {%- endfor -%}
  {%- if not add and not remove and not changed -%}
    {{ return(none) }}
  {%- endif -%}
  {%- if on_schema_change == 'fail' -%}
    {{ exceptions.raise_compiler_error(
      "The source and target schemas on this incremental model are out of sync!\n"
      ~ "  Set on_schema_change to append_new_columns or sync_all_columns, or re-run with --full-refresh.\n"
      ~ "     Source columns not in target: " ~ (add | map(attribute='name') | list) ~ "\n"
      ~ "     Target columns not in source: " ~ (remove | map(attribute='name') | list) ~ "\n"
      ~ "     New column types: " ~ changed) }}
  {%- endif -%}
  {%- for c in add -%}
    {% call statement('add_column_' ~ loop.index, auto_begin=false) -%}
      alter table {{ target_relation }} add column {{ c.quoted }} {{ c.data_type }}
    {%- endcall %}
  {%- endfor -%}
  {%- if on_schema_change == 'sync_all_columns' -%}
    {%- for c in remove -%}
      {% call statement('drop_column_' ~ loop.index, auto_begin=false) -%}
        alter table {{ target_relation }} drop column {{ c.quoted }}
      {%- endcall %}
    {%- endfor -%}
    {%- for change in changed -%}
      {% call statement('alter_column_type_' ~ loop.index, auto_begin=false) -%}
        alter table {{ target_relation }} alter {{ adapter.quote(change['column_name']) }} set data type {{ change['new_type'] }}
      {%- endcall %}
    {%- endfor -%}
    {{ return(source_columns) }}
  {%- endif -%}
  {#- append_new_columns: the target keeps its removed columns (null for new rows). -#}
  {%- set kept = [] -%}
  {%- for t in target_columns if t.name | upper in source_names -%}{% do kept.append(t) %}{%- endfor -%}
  {{ return(kept + add) }}
{%- endmacro %}
