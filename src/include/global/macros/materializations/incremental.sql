{#- incremental: the first run (or a full refresh) builds the table like the
    table materialization; later runs build the new rows into
    `<name>__dbt_tmp`, reconcile columns per on_schema_change, and merge them
    in with the configured strategy, all in one transaction. -#}

{% materialization incremental, default %}
  {%- set existing_relation = load_cached_relation(this) -%}
  {%- set target_relation = this.incorporate(type='table') -%}
  {%- set temp_relation = make_temp_relation(target_relation) -%}
  {%- set intermediate_relation = make_intermediate_relation(target_relation) -%}
  {%- set backup_relation = make_backup_relation(target_relation, existing_relation.type if existing_relation is not none else 'table') -%}
  {%- set full_refresh_mode = should_full_refresh() -%}
  {%- set on_schema_change = incremental_validate_on_schema_change(config.get('on_schema_change'), default='ignore') -%}
  {{ drop_relation_if_exists(load_cached_relation(temp_relation)) }}
  {{ drop_relation_if_exists(load_cached_relation(backup_relation)) }}

  {{ run_hooks(pre_hooks, inside_transaction=false) }}
  {{ run_hooks(pre_hooks, inside_transaction=true) }}

  {%- set to_drop = [] -%}
  {% if existing_relation is none %}
    {% call statement('main') -%}
      {{ get_create_table_as_sql(false, target_relation, sql) }}
    {%- endcall %}
  {% elif full_refresh_mode or existing_relation.type != 'table' %}
    {% call statement('main') -%}
      {{ get_create_table_as_sql(false, intermediate_relation, sql) }}
    {%- endcall %}
    {% do adapter.cache_added(intermediate_relation) %}
    {{ adapter.rename_relation(existing_relation, backup_relation) }}
    {{ adapter.rename_relation(intermediate_relation, target_relation) }}
    {% do to_drop.append(backup_relation) %}
  {% else %}
    {#- The strategy's SQL comes from its macro, found by name as dbt finds
        it (adapter.get_incremental_strategy_macro): get_incremental_<name>_sql,
        a project's or package's own first; no strategy is `default`. Found
        first, so an unknown strategy fails before anything is built. -#}
    {%- set strategy_sql_macro_func = adapter.get_incremental_strategy_macro(context, config.get('incremental_strategy') or 'default') -%}
    {#- A temporary table where the adapter has them (dbt's default), so a
        run that dies leaves nothing behind in the target schema. -#}
    {% call statement('create_tmp_relation') -%}
      {{ get_create_table_as_sql(true, temp_relation, sql) }}
    {%- endcall %}
    {% do adapter.cache_added(temp_relation) %}
    {% do to_drop.append(temp_relation) %}
    {%- set dest_columns = process_schema_changes(on_schema_change, temp_relation, existing_relation) -%}
    {%- if not dest_columns -%}
      {%- set dest_columns = adapter.get_columns_in_relation(existing_relation) -%}
    {%- endif -%}
    {%- set strategy_arg_dict = {
        'target_relation': target_relation,
        'temp_relation': temp_relation,
        'unique_key': config.get('unique_key'),
        'dest_columns': dest_columns,
        'incremental_predicates': config.get('predicates') or config.get('incremental_predicates')
    } -%}
    {% call statement('main') -%}
      {{ strategy_sql_macro_func(strategy_arg_dict) }}
    {%- endcall %}
  {% endif %}

  {% do apply_grants(target_relation, config.get('grants'), should_revoke=should_revoke(existing_relation, full_refresh_mode)) %}
  {% do persist_docs(target_relation, model) %}
  {{ run_hooks(post_hooks, inside_transaction=true) }}
  {{ adapter.commit() }}
  {% for rel in to_drop %}
    {{ drop_relation_if_exists(rel) }}
  {% endfor %}
  {{ run_hooks(post_hooks, inside_transaction=false) }}

  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}

{% macro incremental_validate_on_schema_change(on_schema_change, default='ignore') -%}
  {%- if on_schema_change not in ['ignore', 'append_new_columns', 'sync_all_columns', 'fail'] -%}
    {{ log("Invalid value for on_schema_change (" ~ on_schema_change ~ ") specified. Setting default value of " ~ default ~ ".", info=true) }}
    {{ return(default) }}
  {%- else -%}
    {{ return(on_schema_change) }}
  {%- endif -%}
{%- endmacro %}
