{#-
  Explode an array column into one row per element, as a FROM-clause item
  joined laterally to the row it came from:

      from {{ ref('x') }} as p
      {{ unnest_array('p.commit_ids', 'u') }}

  then read each element with {{ unnested_value('u') }} (a VARCHAR).
  Rows whose array is NULL or empty produce no rows.
-#}
{% macro unnest_array(array_column, alias) -%}
    {{ return(adapter.dispatch('unnest_array', 'cursor_analytics')(array_column, alias)) }}
{%- endmacro %}

{% macro default__unnest_array(array_column, alias) -%}
    cross join unnest({{ array_column }}) as {{ alias }}(value)
{%- endmacro %}

{% macro duckdb__unnest_array(array_column, alias) -%}
    cross join unnest({{ array_column }}) as {{ alias }}(value)
{%- endmacro %}

{% macro snowflake__unnest_array(array_column, alias) -%}
    , lateral flatten(input => {{ array_column }}) as {{ alias }}
{%- endmacro %}

{% macro unnested_value(alias) -%}
    {{ return(adapter.dispatch('unnested_value', 'cursor_analytics')(alias)) }}
{%- endmacro %}

{% macro default__unnested_value(alias) -%}
    cast({{ alias }}.value as varchar)
{%- endmacro %}

{#- FLATTEN yields VARIANT values. -#}
{% macro snowflake__unnested_value(alias) -%}
    {{ alias }}.value::varchar
{%- endmacro %}
