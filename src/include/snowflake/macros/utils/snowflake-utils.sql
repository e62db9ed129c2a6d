{#- Where Snowflake's SQL differs from the `dbt` package's cross-database
    defaults (following dbt-snowflake's choices). -#}

{% macro snowflake__array_construct(inputs, data_type) -%}
  array_construct( {{ inputs | join(' , ') }} )
{%- endmacro %}

{% macro snowflake__bool_or(expression) -%}
  boolor_agg({{ expression }})
{%- endmacro %}

{#- Spatial types have constructors, not casts. -#}
{% macro snowflake__cast(field, type) -%}
  {%- if type | upper == 'GEOGRAPHY' -%}
    to_geography({{ field }})
  {%- elif type | upper == 'GEOMETRY' -%}
    to_geometry({{ field }})
  {%- else -%}
    cast({{ field }} as {{ type }})
  {%- endif -%}
{%- endmacro %}

{#- try_cast takes only text (so a number is passed as a string literal) and
    cannot make a variant (so that is a plain cast). -#}
{% macro snowflake__safe_cast(field, type) -%}
  {%- if type | upper == 'GEOMETRY' -%}
    try_to_geometry({{ field }})
  {%- elif type | upper == 'GEOGRAPHY' -%}
    try_to_geography({{ field }})
  {%- elif type | upper == 'VARIANT' -%}
    {{ adapter.dispatch('cast', 'dbt')(field, type) }}
  {%- else -%}
    try_cast({{ dbt.string_literal(field) if field is number else field }} as {{ type }})
  {%- endif -%}
{%- endmacro %}

{% macro snowflake__equals(expr1, expr2) -%}
  {%- if dbt.tsdbt_truthy_nulls_equals() -%}
    ({{ expr1 }} IS NOT DISTINCT FROM {{ expr2 }})
  {%- else -%}
    ({{ expr1 }} = {{ expr2 }})
  {%- endif -%}
{%- endmacro %}

{#- Snowflake string literals escape a quote with a backslash. -#}
{% macro snowflake__escape_single_quotes(expression) -%}
  {{ expression | replace("'", "\\'") }}
{%- endmacro %}

{#- A zero length gives '' outright, as dbt-snowflake renders it. -#}
{% macro snowflake__right(string_text, length_expression) -%}
  case when {{ length_expression }} = 0 then '' else right({{ string_text }}, {{ length_expression }}) end
{%- endmacro %}

{#- Timestamps in UTC, whatever the session's time zone. -#}
{% macro snowflake__current_timestamp() -%}
  convert_timezone('UTC', current_timestamp())
{%- endmacro %}

{% macro snowflake__current_timestamp_backcompat() -%}
  current_timestamp::{{ dbt.type_timestamp() }}
{%- endmacro %}

{% macro snowflake__current_timestamp_in_utc_backcompat() -%}
  convert_timezone('UTC', {{ snowflake__current_timestamp_backcompat() }})::{{ dbt.type_timestamp() }}
{%- endmacro %}
