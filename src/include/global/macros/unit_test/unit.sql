{#- Unit tests. The runner renders the tested model with each given input
    replaced by a fixture CTE, and hands the materialization that SQL as
    `sql`, plus the expected rows' SQL and the columns to compare in the
    node's config (expected_sql, expected_column_names). The `main`
    statement returns the actual rows and the expected rows, told apart by
    the actual_or_expected column; the runner compares them as multisets. -#}

{% materialization unit, default %}
  {%- set expected_sql = config.get('expected_sql') -%}
  {%- set column_names = config.get('expected_column_names') -%}
  {% call statement('main', fetch_result=true, auto_begin=false) -%}
    {{ get_unit_test_sql(sql, expected_sql, column_names) }}
  {%- endcall %}
  {{ return({'relations': []}) }}
{% endmaterialization %}

{% macro get_unit_test_sql(main_sql, expected_fixture_sql, expected_column_names) -%}
  {{ return(adapter.dispatch('get_unit_test_sql', 'dbt')(main_sql, expected_fixture_sql, expected_column_names)) }}
{%- endmacro %}

{% macro default__get_unit_test_sql(main_sql, expected_fixture_sql, expected_column_names) -%}
with dbt_internal_unit_test_actual as (
  select {% for name in expected_column_names %}{{ name }}, {% endfor %}{{ dbt.string_literal('actual') }} as {{ adapter.quote('actual_or_expected') }}
  from (
    {{ main_sql }}
  ) _dbt_internal_unit_test_actual
),
dbt_internal_unit_test_expected as (
  select {% for name in expected_column_names %}{{ name }}, {% endfor %}{{ dbt.string_literal('expected') }} as {{ adapter.quote('actual_or_expected') }}
  from (
    {{ expected_fixture_sql }}
  ) _dbt_internal_unit_test_expected
)
select * from dbt_internal_unit_test_actual
union all
select * from dbt_internal_unit_test_expected
{%- endmacro %}

{#- One given input as SQL: a select per row, each value cast to its column's
    type; columns a row leaves out are null. `rows` holds SQL literals
    (the runner quotes them), `column_name_to_data_types` every column. -#}
{% macro get_fixture_sql(rows, column_name_to_data_types) -%}
  {{ return(adapter.dispatch('get_fixture_sql', 'dbt')(rows, column_name_to_data_types)) }}
{%- endmacro %}

{% macro default__get_fixture_sql(rows, column_name_to_data_types) -%}
{%- if rows | length == 0 -%}
select {% for name, data_type in column_name_to_data_types.items() %}{{ dbt.cast('null', data_type) }} as {{ name }}{{ ', ' if not loop.last }}{% endfor %} limit 0
{%- else -%}
{%- for row in rows -%}
select {% for name, data_type in column_name_to_data_types.items() %}{{ dbt.cast(row[name] if name in row else 'null', data_type) }} as {{ name }}{{ ', ' if not loop.last }}{% endfor %}
{%- if not loop.last %}
union all
{% endif -%}
{%- endfor -%}
{%- endif -%}
{%- endmacro %}

{#- The expected rows, typed by the model's output columns. -#}
{% macro get_expected_sql(rows, column_name_to_data_types) -%}
  {{ return(adapter.dispatch('get_expected_sql', 'dbt')(rows, column_name_to_data_types)) }}
{%- endmacro %}

{% macro default__get_expected_sql(rows, column_name_to_data_types) -%}
  {{ return(get_fixture_sql(rows, column_name_to_data_types)) }}
{%- endmacro %}
