{#- view and table on DuckDB. DuckDB's DDL is transactional, so the swap
    dbt does by renames (build `__dbt_tmp`, rename the old one to
    `__dbt_backup`, rename, drop) is one `create or replace` inside the
    model's transaction: if the new SQL fails, the transaction rolls back and
    the previous relation is untouched. A relation of the other type is
    dropped in the same transaction first, so that is rolled back too.
    One statement instead of four per model. A contracted model is checked
    against its YAML columns first; a contracted table is created from the
    declared columns and constraints, then filled. Comments (persist_docs)
    are written in the same transaction. -#}

{% macro tsdbt_duckdb_replace(kind, sql) %}
  {%- set existing_relation = load_cached_relation(this) -%}
  {%- set target_relation = this.incorporate(type=kind) -%}

  {{ run_hooks(pre_hooks, inside_transaction=false) }}
  {{ run_hooks(pre_hooks, inside_transaction=true) }}

  {% if existing_relation is not none and existing_relation.type != kind %}
    {% call statement('drop_other_type') -%}
      drop {{ existing_relation.type }} if exists {{ existing_relation }} cascade
    {%- endcall %}
    {% do adapter.cache_dropped(existing_relation) %}
  {% endif %}

  {%- set contract = config.get('contract') or {} -%}
  {% call statement('main') -%}
    {%- if contract.enforced -%}
      {{ get_assert_columns_equivalent(sql) }}
    {%- endif -%}
    {%- if kind == 'table' and contract.enforced -%}
    create or replace table {{ target_relation }} {{ get_table_columns_and_constraints() }};
    insert into {{ target_relation }} ({{ get_column_names() }})
    {{ get_select_subquery(sql) }}
    {%- else -%}
    create or replace {{ kind }} {{ target_relation }} as (
{{ sql }}
    )
    {%- endif -%}
  {%- endcall %}
  {% do adapter.cache_added(target_relation) %}

  {% if kind == 'table' %}{% do create_indexes(target_relation) %}{% endif %}
  {% do apply_grants(target_relation, config.get('grants'), should_revoke=false) %}
  {% do persist_docs(target_relation, model) %}
  {{ run_hooks(post_hooks, inside_transaction=true) }}
  {{ adapter.commit() }}
  {{ run_hooks(post_hooks, inside_transaction=false) }}

  {{ return({'relations': [target_relation]}) }}
{% endmacro %}

{% materialization view, adapter='duckdb' %}
  {{ return(tsdbt_duckdb_replace('view', sql)) }}
{% endmaterialization %}

{% materialization table, adapter='duckdb' %}
  {{ return(tsdbt_duckdb_replace('table', sql)) }}
{% endmaterialization %}
