{#- Running SQL from templates. `statement` is the one place SQL reaches the
    database from a materialization: its body (the caller) is the SQL, and
    the result is kept under `name` for load_result(name). The 'main'
    statement is the node's main query: the runner reports its response,
    and write() keeps its SQL in target/run/, as dbt does. -#}

{% macro statement(name=none, fetch_result=false, auto_begin=true, language='sql') -%}
  {%- if execute -%}
    {%- set compiled_code = caller() -%}
    {%- if name == 'main' -%}
      {{ log('Writing runtime ' ~ language ~ ' for node "' ~ model['unique_id'] ~ '"') }}
      {{ write(compiled_code) }}
    {%- endif -%}
    {%- if language != 'sql' -%}
      {{ exceptions.raise_compiler_error("tsdbt runs SQL only; statement '" ~ name ~ "' asked for language '" ~ language ~ "'") }}
    {%- endif -%}
    {%- set res, table = adapter.execute(compiled_code, auto_begin=auto_begin, fetch=fetch_result) -%}
    {%- if name is not none -%}
      {{ store_result(name, response=res, agate_table=table) }}
    {%- endif -%}
  {%- endif -%}
{%- endmacro %}

{% macro noop_statement(name=none, message=none, code=none, rows_affected=none, res=none) -%}
  {%- set sql = caller() -%}
  {%- if name == 'main' -%}
    {{ log('Writing runtime SQL for node "{}"'.format(model['unique_id'])) }}
    {{ write(sql) }}
  {%- endif -%}
  {%- if name is not none -%}
    {{ store_raw_result(name, message=message, code=code, rows_affected=rows_affected, agate_table=res) }}
  {%- endif -%}
{%- endmacro %}

{#- run_query: run SQL now and hand back its result table. -#}
{% macro run_query(sql) %}
  {% call statement("run_query_statement", fetch_result=true, auto_begin=false) %}
    {{ sql }}
  {% endcall %}
  {% do return(load_result("run_query_statement").table) %}
{% endmacro %}

{% macro get_current_timestamp() -%}
  {{ return(adapter.dispatch('current_timestamp', 'dbt')()) }}
{%- endmacro %}

{% macro default__current_timestamp() -%}
  current_timestamp
{%- endmacro %}

{% macro current_timestamp() -%}
  {{ return(adapter.dispatch('current_timestamp', 'dbt')()) }}
{%- endmacro %}
