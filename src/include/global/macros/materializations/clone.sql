{#- clone (`tsdbt clone --state DIR`): the node's relation in the target made
    from its relation in the state manifest (`defer_relation`). Nothing to do
    when the state has no relation for it, or when the target already has one
    (unless --full-refresh). Where the database clones tables without copying
    them (can_clone_table: Snowflake) and the state relation is a table, the
    target becomes a clone of it; otherwise a view over it (`sql` is
    `select * from <defer_relation>`), built as the view materialization
    builds views. -#}

{% materialization clone, default %}
  {%- if not defer_relation -%}
    {{ log("No relation found in state manifest for " ~ model.unique_id, info=true) }}
    {{ return({'relations': []}) }}
  {%- endif -%}
  {%- set existing_relation = load_cached_relation(this) -%}
  {%- if existing_relation and not flags.FULL_REFRESH -%}
    {{ log("Relation " ~ existing_relation ~ " already exists", info=true) }}
    {{ return({'relations': []}) }}
  {%- endif -%}
  {%- set state_relation = load_cached_relation(defer_relation) -%}
  {%- if state_relation is not none and state_relation.type == 'table' and can_clone_table() -%}
    {%- set target_relation = this.incorporate(type='table') -%}
    {%- if existing_relation is not none and not existing_relation.is_table -%}
      {{ drop_relation_if_exists(existing_relation) }}
    {%- endif -%}
    {%- if target_relation.render() | lower != defer_relation.render() | lower -%}
      {% call statement('main') -%}
        {{ create_or_replace_clone(target_relation, defer_relation) }}
      {%- endcall %}
    {%- endif -%}
    {% do apply_grants(target_relation, config.get('grants'), should_revoke=should_revoke(existing_relation, full_refresh_mode=true)) %}
    {% do persist_docs(target_relation, model) %}
    {{ return({'relations': [target_relation]}) }}
  {%- else -%}
    {%- if existing_relation is not none and not existing_relation.is_view -%}
      {{ drop_relation_if_exists(existing_relation) }}
    {%- endif -%}
    {%- set view_materialization = context.get('materialization_view_' ~ adapter.type()) or context['materialization_view_default'] -%}
    {{ return(view_materialization()) }}
  {%- endif -%}
{% endmaterialization %}

{#- Whether the database makes zero-copy clones of tables (default: no). -#}
{% macro can_clone_table() -%}
  {{ return(adapter.dispatch('can_clone_table', 'dbt')()) }}
{%- endmacro %}

{% macro default__can_clone_table() -%}
  {{ return(false) }}
{%- endmacro %}

{% macro create_or_replace_clone(this_relation, defer_relation) -%}
  {{ return(adapter.dispatch('create_or_replace_clone', 'dbt')(this_relation, defer_relation)) }}
{%- endmacro %}

{% macro default__create_or_replace_clone(this_relation, defer_relation) -%}
  create or replace table {{ this_relation }} clone {{ defer_relation }}
{%- endmacro %}
