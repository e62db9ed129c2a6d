{#- Hours (fractional) from one timestamp to a later one; negative when end is earlier, NULL when either is NULL. -#}
{% macro hours_between(start_ts, end_ts) -%}
    {{ return(adapter.dispatch('hours_between', 'cursor_analytics')(start_ts, end_ts)) }}
{%- endmacro %}

{% macro default__hours_between(start_ts, end_ts) -%}
    (extract(epoch from ({{ end_ts }} - {{ start_ts }})) / 3600.0)
{%- endmacro %}

{#- Microsecond epochs keep the sub-second part of cursor-sim's timestamps. -#}
{% macro duckdb__hours_between(start_ts, end_ts) -%}
    ((epoch_us({{ end_ts }}) - epoch_us({{ start_ts }})) / 3600000000.0)
{%- endmacro %}

{% macro snowflake__hours_between(start_ts, end_ts) -%}
    (datediff('millisecond', {{ start_ts }}, {{ end_ts }}) / 3600000.0)
{%- endmacro %}
