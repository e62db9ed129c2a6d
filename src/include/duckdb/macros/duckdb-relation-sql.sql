{#- DuckDB replaces a table or a view in one statement. -#}
{% macro duckdb__get_replace_view_sql(relation, sql) -%}
  {{ tsdbt_create_or_replace('view', relation, sql) }}
{%- endmacro %}

{% macro duckdb__get_replace_table_sql(relation, sql) -%}
  {{ tsdbt_create_or_replace('table', relation, sql) }}
{%- endmacro %}

{#- Snapshot times as naive timestamps, as the snapshot materialization writes them. -#}
{% macro duckdb__snapshot_get_time() -%}
  {{ current_timestamp() }}::timestamp
{%- endmacro %}

{% macro duckdb__snapshot_string_as_time(timestamp) -%}
  '{{ timestamp }}'::timestamp
{%- endmacro %}

{#- DuckDB's placeholder for a bound value. -#}
{% macro duckdb__get_binding_char() -%}
  {{ return('?') }}
{%- endmacro %}

{#- One information schema for every attached database (its rows name their catalog), as the adapter reads it. -#}
{% macro duckdb__information_schema_name(database) -%}
  information_schema
{%- endmacro %}
