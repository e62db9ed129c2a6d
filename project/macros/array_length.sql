{#- Number of elements in an array column; NULL for a NULL array. -#}
{% macro array_length(column) -%}
    {{ return(adapter.dispatch('array_length', 'cursor_analytics')(column)) }}
{%- endmacro %}

{#- ANSI/Postgres form: length of the first dimension. -#}
{% macro default__array_length(column) -%}
    array_length({{ column }}, 1)
{%- endmacro %}

{% macro duckdb__array_length(column) -%}
    len({{ column }})
{%- endmacro %}

{% macro snowflake__array_length(column) -%}
    array_size({{ column }})
{%- endmacro %}
