{#- table and view on Snowflake: one `create or replace` each, no rename
    swap. Replacing is atomic, so when the new query fails the previous
    relation is still there, untouched; there is no backup to drop. A view
    replacing a table (or the reverse) drops the old relation first, since
    Snowflake will not replace across kinds. -#}

{% materialization table, adapter='snowflake' %}
  {{ return(snowflake_create_or_replace_relation('table')) }}
{% endmaterialization %}

{% materialization view, adapter='snowflake' %}
  {{ return(snowflake_create_or_replace_relation('view')) }}
{% endmaterialization %}

{#- The body both share: `kind` is 'table' or 'view'. -#}
{% macro snowflake_create_or_replace_relation(kind) %}
  {%- set original_query_tag = set_query_tag() -%}
  {%- set existing_relation = load_cached_relation(this) -%}
  {%- set target_relation = this.incorporate(type=kind) -%}

  {{ run_hooks(pre_hooks, inside_transaction=false) }}
  {{ run_hooks(pre_hooks, inside_transaction=true) }}

  {% if existing_relation is not none and existing_relation.type != kind %}
    {{ log("Dropping relation " ~ existing_relation ~ " because it is a " ~ existing_relation.type ~ " and this model is a " ~ kind ~ ".") }}
    {{ adapter.drop_relation(existing_relation) }}
  {% endif %}

  {% call statement('main', auto_begin=false) -%}
    {%- if kind == 'table' -%}
      {{ get_create_table_as_sql(false, target_relation, sql) }}
    {%- else -%}
      {{ get_create_view_as_sql(target_relation, sql) }}
    {%- endif -%}
  {%- endcall %}

  {{ run_hooks(post_hooks, inside_transaction=true) }}
  {{ adapter.commit() }}
  {{ run_hooks(post_hooks, inside_transaction=false) }}
  {% do snowflake_apply_grants(target_relation, config.get('grants'), should_revoke=config.get('copy_grants', default=false)) %}
  {% do unset_query_tag(original_query_tag) %}
  {{ return({'relations': [target_relation]}) }}
{% endmacro %}
