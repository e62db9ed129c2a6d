{#- Set operators and null-aware equality. -#}

{% macro except() -%}
  {{ return(adapter.dispatch('except', 'dbt')()) }}
{%- endmacro %}

{% macro default__except() -%}
  except
{%- endmacro %}

{% macro intersect() -%}
  {{ return(adapter.dispatch('intersect', 'dbt')()) }}
{%- endmacro %}

{% macro default__intersect() -%}
  intersect
{%- endmacro %}

{#- Whether the adapter's behaviour flag enable_truthy_nulls_equals_macro is on
    (dbt's default: off). An adapter object without behaviour flags counts as off. -#}
{% macro tsdbt_truthy_nulls_equals() -%}
  {%- if adapter.behavior is defined and adapter.behavior.enable_truthy_nulls_equals_macro is defined -%}
    {{ return(adapter.behavior.enable_truthy_nulls_equals_macro.no_warn) }}
  {%- else -%}
    {{ return(false) }}
  {%- endif -%}
{%- endmacro %}

{#- equals(expr1, expr2): a boolean condition. With the behaviour flag on,
    two nulls count as equal; otherwise it is plain `=` (null when either is null). -#}
{% macro equals(expr1, expr2) -%}
  {{ return(adapter.dispatch('equals', 'dbt')(expr1, expr2)) }}
{%- endmacro %}

{% macro default__equals(expr1, expr2) -%}
  {%- if dbt.tsdbt_truthy_nulls_equals() -%}
    case when (({{ expr1 }} = {{ expr2 }}) or ({{ expr1 }} is null and {{ expr2 }} is null)) then 0 else 1 end = 0
  {%- else -%}
    ({{ expr1 }} = {{ expr2 }})
  {%- endif -%}
{%- endmacro %}
