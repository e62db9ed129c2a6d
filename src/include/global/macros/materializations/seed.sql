{#- The seed materialization for adapters that cannot read the CSV file
    themselves (DuckDB has its own, in dbt_duckdb): the CSV is parsed by
    load_agate_table(), the table created with a type per column (inferred,
    or from `column_types`), and the rows inserted in batches of literals. -#}

{% macro seed_column_type(agate_type, override=none) -%}
  {%- if override -%}{{ return(override) }}{%- endif -%}
  {{ return(adapter.dispatch('seed_column_type', 'dbt')(agate_type)) }}
{%- endmacro %}

{% macro default__seed_column_type(agate_type) -%}
  {%- set types = {'integer': 'integer', 'bigint': 'bigint', 'number': 'double precision', 'boolean': 'boolean', 'date': 'date', 'datetime': 'timestamp', 'text': 'varchar'} -%}
  {{ return(types.get(agate_type, 'varchar')) }}
{%- endmacro %}

{% macro seed_literal(value) -%}
  {{ return(adapter.dispatch('seed_literal', 'dbt')(value)) }}
{%- endmacro %}

{% macro default__seed_literal(value) -%}
  {%- if value is none -%}null
  {%- elif value is boolean -%}{{ 'true' if value else 'false' }}
  {%- elif value is number -%}{{ value }}
  {%- else -%}'{{ value | string | replace("'", "''") }}'
  {%- endif -%}
{%- endmacro %}

{% macro seed_batch_size() -%}
  {{ return(adapter.dispatch('seed_batch_size', 'dbt')()) }}
{%- endmacro %}

{% macro default__seed_batch_size() -%}
  {{ return(10000) }}
{%- endmacro %}

{% materialization seed, default %}
  {%- set existing_relation = load_cached_relation(this) -%}
  {%- set target_relation = this.incorporate(type='table') -%}
  {%- set agate_table = load_agate_table() -%}
  {%- set column_types = config.get('column_types') or {} -%}
  {%- set quote_columns = config.get('quote_columns') -%}
  {{ run_hooks(pre_hooks, inside_transaction=false) }}
  {{ run_hooks(pre_hooks, inside_transaction=true) }}

  {% if existing_relation is not none and (should_full_refresh() or existing_relation.type != 'table') %}
    {{ adapter.drop_relation(existing_relation) }}
    {%- set existing_relation = none -%}
  {% endif %}
  {{ seed_load_agate(target_relation, existing_relation, agate_table, column_types, quote_columns) }}

  {{ run_hooks(post_hooks, inside_transaction=true) }}
  {{ adapter.commit() }}
  {{ run_hooks(post_hooks, inside_transaction=false) }}
  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}

{#- A seed's column names, each quoted unless quote_columns is false. -#}
{% macro seed_quoted_columns(agate_table, quote_columns) -%}
  {%- set cols = [] -%}
  {%- for col in agate_table.columns -%}
    {% do cols.append(adapter.quote_seed_column(col.name, quote_columns)) %}
  {%- endfor -%}
  {{ return(cols) }}
{%- endmacro %}

{#- The seed's table: a column per CSV column, typed by agate's inference or
    `column_types`. Returns the statement's SQL (as dbt's create_csv_table). -#}
{% macro seed_create_table(target_relation, cols, agate_table, column_types) %}
  {%- set sql -%}
    create table {{ target_relation }} (
      {%- for col in agate_table.columns %}
      {{ cols[loop.index0] }} {{ seed_column_type(col.data_type, column_types.get(col.name)) }}{{ ',' if not loop.last }}
      {%- endfor %}
    )
  {%- endset -%}
  {% call statement('create_seed_table') -%}
    {{ sql }}
  {%- endcall %}
  {{ return(sql) }}
{% endmacro %}

{#- The seed's rows into its table: made (agate's types or `column_types`)
    when there is none, else emptied; then agate's values inserted. -#}
{% macro seed_load_agate(target_relation, existing_relation, agate_table, column_types, quote_columns) %}
  {%- set cols = seed_quoted_columns(agate_table, quote_columns) -%}
  {% if existing_relation is none %}
    {%- set create_or_truncate_sql = seed_create_table(target_relation, cols, agate_table, column_types) -%}
    {% do adapter.cache_added(target_relation) %}
  {% else %}
    {%- set create_or_truncate_sql = seed_truncate_table(target_relation) -%}
  {% endif %}
  {%- set insert_sql = seed_insert_rows(target_relation, cols, agate_table.rows) -%}
  {{ seed_main_statement(create_or_truncate_sql, insert_sql, agate_table.rows | length) }}
{% endmacro %}

{#- Empty the seed's table (its rows are loaded again). Returns the statement's SQL. -#}
{% macro seed_truncate_table(target_relation) %}
  {%- set sql = 'delete from ' ~ target_relation -%}
  {% call statement('truncate_seed') -%}
    {{ sql }}
  {%- endcall %}
  {{ return(sql) }}
{% endmacro %}

{#- Insert a seed's rows in batches of seed_batch_size(), each value a
    literal from the dispatched seed_literal. Returns the first batch's SQL
    (dbt's load_csv_rows returns its first statement), '' with no rows. -#}
{% macro seed_insert_rows(target_relation, cols, rows) %}
  {%- set batch = seed_batch_size() | int -%}
  {%- set first = [] -%}
  {% for start in range(0, rows | length, batch) %}
    {%- set sql -%}
      insert into {{ target_relation }} ({{ cols | join(', ') }}) values
      {%- for row in rows[start:start + batch] %}
      ({% for value in row %}{{ seed_literal(value) }}{{ ', ' if not loop.last }}{% endfor %}){{ ',' if not loop.last }}
      {%- endfor %}
    {%- endset -%}
    {% call statement('seed_batch') -%}
      {{ sql }}
    {%- endcall %}
    {%- if loop.first %}{% do first.append(sql) %}{% endif -%}
  {% endfor %}
  {{ return(first[0] if first else '') }}
{% endmacro %}

{#- The seed's `main` result (`INSERT <rows>`, as dbt reports it) and its
    target/run file: the create or truncate, then the first insert (dbt's
    get_csv_sql), kept by noop_statement's write(). -#}
{% macro seed_main_statement(create_or_truncate_sql, insert_sql, rows_affected) %}
  {% call noop_statement('main', 'INSERT ' ~ rows_affected, 'INSERT', rows_affected) -%}
    {{ get_csv_sql(create_or_truncate_sql, insert_sql) }}
  {%- endcall %}
{% endmacro %}
