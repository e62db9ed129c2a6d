{#- Portable data type names (dbt's type_* macros). Each dispatches, so an
    adapter (or a project) can name its own type. The defaults ask the
    adapter's Column class, as dbt does; where tsdbt's Column offers no
    translate_type/numeric_type (the parse-phase stand-in), they fall back to
    dbt's base Column labels, which only rename `string` to `TEXT`. -#}

{% macro tsdbt_translate_type(label) -%}
  {%- if api.Column.translate_type is defined -%}
    {{ return(api.Column.translate_type(label)) }}
  {%- elif label | upper == 'STRING' -%}
    {{ return('TEXT') }}
  {%- else -%}
    {{ return(label) }}
  {%- endif -%}
{%- endmacro %}

{% macro tsdbt_numeric_type(dtype, precision, scale) -%}
  {%- if api.Column.numeric_type is defined -%}
    {{ return(api.Column.numeric_type(dtype, precision, scale)) }}
  {%- elif precision is none or scale is none -%}
    {{ return(dtype) }}
  {%- else -%}
    {{ return(dtype ~ '(' ~ precision ~ ',' ~ scale ~ ')') }}
  {%- endif -%}
{%- endmacro %}

{% macro type_string() -%}
  {{ return(adapter.dispatch('type_string', 'dbt')()) }}
{%- endmacro %}

{% macro default__type_string() -%}
  {{ return(dbt.tsdbt_translate_type('string')) }}
{%- endmacro %}

{% macro type_timestamp() -%}
  {{ return(adapter.dispatch('type_timestamp', 'dbt')()) }}
{%- endmacro %}

{#- Snowflake resolves `timestamp` through TIMESTAMP_TYPE_MAPPING (TIMESTAMP_NTZ unless changed). -#}
{% macro default__type_timestamp() -%}
  {{ return(dbt.tsdbt_translate_type('timestamp')) }}
{%- endmacro %}

{% macro type_float() -%}
  {{ return(adapter.dispatch('type_float', 'dbt')()) }}
{%- endmacro %}

{#- Note DuckDB reads `float` as a 4-byte REAL; dbt-duckdb keeps it all the same. -#}
{% macro default__type_float() -%}
  {{ return(dbt.tsdbt_translate_type('float')) }}
{%- endmacro %}

{% macro type_numeric() -%}
  {{ return(adapter.dispatch('type_numeric', 'dbt')()) }}
{%- endmacro %}

{#- A fixed precision and scale: databases' bare `numeric` defaults differ too much to be portable. -#}
{% macro default__type_numeric() -%}
  {{ return(dbt.tsdbt_numeric_type('numeric', 28, 6)) }}
{%- endmacro %}

{% macro type_bigint() -%}
  {{ return(adapter.dispatch('type_bigint', 'dbt')()) }}
{%- endmacro %}

{% macro default__type_bigint() -%}
  {{ return(dbt.tsdbt_translate_type('bigint')) }}
{%- endmacro %}

{% macro type_int() -%}
  {{ return(adapter.dispatch('type_int', 'dbt')()) }}
{%- endmacro %}

{% macro default__type_int() -%}
  {{ return(dbt.tsdbt_translate_type('integer')) }}
{%- endmacro %}

{% macro type_boolean() -%}
  {{ return(adapter.dispatch('type_boolean', 'dbt')()) }}
{%- endmacro %}

{% macro default__type_boolean() -%}
  {{ return(dbt.tsdbt_translate_type('boolean')) }}
{%- endmacro %}
