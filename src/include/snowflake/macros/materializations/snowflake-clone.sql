{#- Snowflake clones tables without copying them: `clone` gives a table in
    the state a (transient, unless `transient: false`) zero-copy clone, with
    `copy grants` / `copy tags` when configured. -#}

{% macro snowflake__can_clone_table() -%}
  {{ return(true) }}
{%- endmacro %}

{% macro snowflake__create_or_replace_clone(this_relation, defer_relation) -%}
  create or replace {{ 'transient ' if config.get('transient', true) }}table {{ this_relation }}
    clone {{ defer_relation }}
    {{- ' copy grants' if config.get('copy_grants', false) }}
    {{- ' copy tags' if config.get('copy_tags', false) }}
{%- endmacro %}
