{#- Model contracts (`contract: {enforced: true}`). Before a contracted model
    is built, the columns its query returns (names and the database's types,
    read from an empty run of the query) are compared with the columns its
    YAML declares (their data_types put through the same empty query); any
    difference fails the model with a table of mismatches. Tables are then
    created from the declared columns and their constraints, and filled by an
    insert whose select lists the columns in YAML order. -#}

{#- Adapter methods warn through this, so their warnings reach the log as exceptions.warn does. -#}
{% macro tsdbt_adapter_warn(msg) -%}
  {%- do exceptions.warn(msg) -%}
{%- endmacro %}

{#- A query with the same columns as `select_sql` that reads no rows. -#}
{% macro get_empty_subquery_sql(select_sql, select_sql_header=none) -%}
  {{ return(adapter.dispatch('get_empty_subquery_sql', 'dbt')(select_sql, select_sql_header)) }}
{%- endmacro %}

{% macro default__get_empty_subquery_sql(select_sql, select_sql_header=none) -%}
  {%- if select_sql_header is not none %}{{ select_sql_header }}
  {% endif -%}
  select * from (
    {{ select_sql }}
  ) as __dbt_sbq
  where false
  limit 0
{%- endmacro %}

{#- A query returning no rows whose columns are the YAML columns, each cast to its data_type. -#}
{% macro get_empty_schema_sql(columns) -%}
  {{ return(adapter.dispatch('get_empty_schema_sql', 'dbt')(columns)) }}
{%- endmacro %}

{% macro default__get_empty_schema_sql(columns) -%}
  {%- set untyped = [] -%}
  {%- set bare_numeric = [] -%}
  {%- for name in columns -%}
    {%- set col = columns[name] -%}
    {%- if col['data_type'] is none or col['data_type'] is not defined or (col['data_type'] | string | trim) == '' -%}
      {%- do untyped.append(col['name']) -%}
    {%- elif (col['data_type'] | string | trim | lower) in ['numeric', 'decimal', 'number'] -%}
      {%- do bare_numeric.append(col['name']) -%}
    {%- endif -%}
  {%- endfor -%}
  {%- if untyped | length > 0 -%}
    {%- do adapter.tsdbt_raise_column_type_missing(untyped, model['original_file_path']) -%}
  {%- endif -%}
  {%- if bare_numeric | length > 0 -%}
    {%- do exceptions.warn("Detected columns with numeric type and unspecified precision/scale, this can lead to unintended rounding: " ~ bare_numeric ~ "`") -%}
  {%- endif -%}
  select
  {%- for name in columns %}
    {%- set col = columns[name] %}
    {{ cast('null', col['data_type']) }} as {{ adapter.quote(col['name']) if col.get('quote') else col['name'] }}{{ ',' if not loop.last }}
  {%- endfor %}
{%- endmacro %}

{#- The columns (api.Column: name, dtype) a select returns, without reading its rows. -#}
{% macro get_column_schema_from_query(select_sql, select_sql_header=none) -%}
  {{ return(adapter.get_column_schema_from_query(get_empty_subquery_sql(select_sql, select_sql_header))) }}
{%- endmacro %}

{% macro get_columns_in_query(select_sql) -%}
  {{ return(get_column_schema_from_query(select_sql) | map(attribute='name') | list) }}
{%- endmacro %}

{% macro format_columns(columns) -%}
  {%- set out = [] -%}
  {%- for column in columns -%}
    {%- do out.append(adapter.dispatch('format_column', 'dbt')(column)) -%}
  {%- endfor -%}
  {{ return(out) }}
{%- endmacro %}

{#- `formatted` is what two columns must share to match: the lower-cased name and the type. -#}
{% macro default__format_column(column) -%}
  {{ return({'name': column.name, 'data_type': column.dtype, 'formatted': (column.column | lower) ~ ' ' ~ column.dtype}) }}
{%- endmacro %}

{% macro get_assert_columns_equivalent(sql) -%}
  {{ adapter.dispatch('get_assert_columns_equivalent', 'dbt')(sql) }}
{%- endmacro %}

{% macro default__get_assert_columns_equivalent(sql) -%}
  {{ return(assert_columns_equivalent(sql)) }}
{%- endmacro %}

{#- Fails the model (dbt's contract error) unless its query returns exactly the YAML's columns with the YAML's types. -#}
{% macro assert_columns_equivalent(sql) -%}
  {%- set declared = model['columns'] -%}
  {%- if not declared -%}
    {%- do adapter.tsdbt_raise_contract_error([], [], model['original_file_path']) -%}
  {%- endif -%}
  {%- set sql_columns = format_columns(get_column_schema_from_query(sql, config.get('sql_header', none))) -%}
  {%- set yaml_columns = format_columns(get_column_schema_from_query(get_empty_schema_sql(declared))) -%}
  {%- if sql_columns | length != yaml_columns | length -%}
    {%- do adapter.tsdbt_raise_contract_error(yaml_columns, sql_columns, model['original_file_path']) -%}
  {%- endif -%}
  {%- for sql_col in sql_columns -%}
    {%- set matches = yaml_columns | selectattr('name', 'equalto', sql_col['name']) | list -%}
    {%- if matches | length == 0 or matches[0]['formatted'] != sql_col['formatted'] -%}
      {%- do adapter.tsdbt_raise_contract_error(yaml_columns, sql_columns, model['original_file_path']) -%}
    {%- endif -%}
  {%- endfor -%}
{%- endmacro %}

{#- `(col type constraints, ..., model constraints)`: the column list of a contracted table's DDL. -#}
{% macro get_table_columns_and_constraints() -%}
  {{ adapter.dispatch('get_table_columns_and_constraints', 'dbt')() }}
{%- endmacro %}

{% macro default__get_table_columns_and_constraints() -%}
  {{ return(table_columns_and_constraints()) }}
{%- endmacro %}

{% macro table_columns_and_constraints() -%}
  {%- set entries = adapter.render_raw_columns_constraints(raw_columns=model['columns']) + adapter.render_raw_model_constraints(raw_constraints=model.get('constraints') or []) -%}
  (
  {%- for entry in entries %}
    {{ entry }}{{ ',' if not loop.last }}
  {%- endfor %}
  )
{%- endmacro %}

{#- The YAML's column names, quoted where the column says `quote: true`. -#}
{% macro get_column_names() -%}
  {{ return(adapter.dispatch('get_column_names', 'dbt')()) }}
{%- endmacro %}

{% macro default__get_column_names() -%}
  {%- set cols = model['columns'] -%}
  {%- for name in cols -%}
    {{ adapter.quote(cols[name]['name']) if cols[name].get('quote') else cols[name]['name'] }}{{ ', ' if not loop.last }}
  {%- endfor -%}
{%- endmacro %}

{#- The model's query reduced to the YAML's columns, in the YAML's order. -#}
{% macro get_select_subquery(sql) -%}
  {{ return(adapter.dispatch('get_select_subquery', 'dbt')(sql)) }}
{%- endmacro %}

{% macro default__get_select_subquery(sql) -%}
  select {{ get_column_names() }}
  from (
    {{ sql }}
  ) as model_subq
{%- endmacro %}
