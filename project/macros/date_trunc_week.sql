{#- The Monday that starts the week of a timestamp, as a DATE. -#}
{% macro date_trunc_week(column) -%}
    {{ return(adapter.dispatch('date_trunc_week', 'cursor_analytics')(column)) }}
{%- endmacro %}

{% macro default__date_trunc_week(column) -%}
    cast(date_trunc('week', {{ column }}) as date)
{%- endmacro %}

{#- DuckDB truncates to the ISO week (Monday) in the session time zone. -#}
{% macro duckdb__date_trunc_week(column) -%}
    cast(date_trunc('week', {{ column }}) as date)
{%- endmacro %}

{#- Snowflake's WEEK follows WEEK_START; 0 (the default) and 1 both mean Monday. -#}
{% macro snowflake__date_trunc_week(column) -%}
    to_date(date_trunc('WEEK', {{ column }}))
{%- endmacro %}
