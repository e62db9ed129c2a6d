{#- Continuous percentile of an expression within a GROUP BY (aggregate). p is a literal in [0, 1]. -#}
{% macro percentile_cont(p, expression) -%}
    {{ return(adapter.dispatch('percentile_cont', 'cursor_analytics')(p, expression)) }}
{%- endmacro %}

{#- ANSI ordered-set aggregate; Snowflake uses the same form. -#}
{% macro default__percentile_cont(p, expression) -%}
    percentile_cont({{ p }}) within group (order by {{ expression }})
{%- endmacro %}

{% macro duckdb__percentile_cont(p, expression) -%}
    quantile_cont({{ expression }}, {{ p }})
{%- endmacro %}

{% macro snowflake__percentile_cont(p, expression) -%}
    percentile_cont({{ p }}) within group (order by {{ expression }})
{%- endmacro %}
