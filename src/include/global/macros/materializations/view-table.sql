{#- view and table: build the new relation under `<name>__dbt_tmp`, then
    swap it in by renames inside one transaction and drop the old one as
    `<name>__dbt_backup` after the commit. If building fails, nothing was
    renamed: the previous relation stays as it was. -#}

{% materialization view, default %}
  {%- set existing_relation = load_cached_relation(this) -%}
  {%- set target_relation = this.incorporate(type='view') -%}
  {%- set intermediate_relation = make_intermediate_relation(target_relation) -%}
  {%- set preexisting_intermediate = load_cached_relation(intermediate_relation) -%}
  {%- set backup_relation = make_backup_relation(target_relation, existing_relation.type if existing_relation is not none else 'view') -%}
  {%- set preexisting_backup = load_cached_relation(backup_relation) -%}
  {{ drop_relation_if_exists(preexisting_intermediate) }}
  {{ drop_relation_if_exists(preexisting_backup) }}

  {{ run_hooks(pre_hooks, inside_transaction=false) }}
  {{ run_hooks(pre_hooks, inside_transaction=true) }}

  {% call statement('main') -%}
    {{ get_create_view_as_sql(intermediate_relation, sql) }}
  {%- endcall %}
  {% do adapter.cache_added(intermediate_relation) %}

  {% if existing_relation is not none %}
    {{ adapter.rename_relation(existing_relation, backup_relation) }}
  {% endif %}
  {{ adapter.rename_relation(intermediate_relation, target_relation) }}

  {{ run_hooks(post_hooks, inside_transaction=true) }}
  {{ adapter.commit() }}
  {{ drop_relation_if_exists(backup_relation if existing_relation is not none else none) }}
  {{ run_hooks(post_hooks, inside_transaction=false) }}

  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}

{% materialization table, default %}
  {%- set existing_relation = load_cached_relation(this) -%}
  {%- set target_relation = this.incorporate(type='table') -%}
  {%- set intermediate_relation = make_intermediate_relation(target_relation) -%}
  {%- set preexisting_intermediate = load_cached_relation(intermediate_relation) -%}
  {%- set backup_relation = make_backup_relation(target_relation, existing_relation.type if existing_relation is not none else 'table') -%}
  {%- set preexisting_backup = load_cached_relation(backup_relation) -%}
  {{ drop_relation_if_exists(preexisting_intermediate) }}
  {{ drop_relation_if_exists(preexisting_backup) }}

  {{ run_hooks(pre_hooks, inside_transaction=false) }}
  {{ run_hooks(pre_hooks, inside_transaction=true) }}

  {% call statement('main') -%}
    {{ get_create_table_as_sql(false, intermediate_relation, sql) }}
  {%- endcall %}
  {% do adapter.cache_added(intermediate_relation) %}

  {% if existing_relation is not none %}
    {{ adapter.rename_relation(existing_relation, backup_relation) }}
  {% endif %}
  {{ adapter.rename_relation(intermediate_relation, target_relation) }}

  {% do create_indexes(target_relation) %}
  {{ run_hooks(post_hooks, inside_transaction=true) }}
  {{ adapter.commit() }}
  {{ drop_relation_if_exists(backup_relation if existing_relation is not none else none) }}
  {{ run_hooks(post_hooks, inside_transaction=false) }}

  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
