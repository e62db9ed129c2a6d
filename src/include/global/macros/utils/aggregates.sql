{#- Aggregate functions whose names differ between databases. -#}

{% macro any_value(expression) -%}
  {{ return(adapter.dispatch('any_value', 'dbt')(expression)) }}
{%- endmacro %}

{% macro default__any_value(expression) -%}
  any_value({{ expression }})
{%- endmacro %}

{% macro bool_or(expression) -%}
  {{ return(adapter.dispatch('bool_or', 'dbt')(expression)) }}
{%- endmacro %}

{% macro default__bool_or(expression) -%}
  bool_or({{ expression }})
{%- endmacro %}

{#- listagg(measure, delimiter_text, order_by_clause, limit_num): the values of
    `measure` joined by `delimiter_text` (a SQL string literal, quotes
    included), ordered by `order_by_clause` (e.g. "order by x") and keeping
    only the first `limit_num` values when given. -#}
{% macro listagg(measure, delimiter_text="','", order_by_clause=none, limit_num=none) -%}
  {{ return(adapter.dispatch('listagg', 'dbt')(measure, delimiter_text, order_by_clause, limit_num)) }}
{%- endmacro %}

{% macro default__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
  {%- set ordering = (' within group (' ~ order_by_clause ~ ')') if order_by_clause else '' -%}
  {%- if limit_num -%}
    array_to_string(array_slice(array_agg({{ measure }}){{ ordering }}, 0, {{ limit_num }}), {{ delimiter_text }})
  {%- else -%}
    listagg({{ measure }}, {{ delimiter_text }}){{ ordering }}
  {%- endif -%}
{%- endmacro %}
