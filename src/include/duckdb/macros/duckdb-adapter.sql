{#- Where DuckDB differs from the defaults in the `dbt` package. -#}

{% macro duckdb__current_timestamp() -%}
  now()
{%- endmacro %}

{#- DuckDB's own CSV reader loads a seed, every column read as the type
    dbt's agate inference gives it (as dbt-duckdb creates the table from
    load_agate_table()'s types before copying the file in): INTEGER (BIGINT
    when too large) for whole numbers and for a column with no value, DOUBLE,
    DATE, TIMESTAMP, BOOLEAN, else VARCHAR; empty and `null` fields are null.
    The types go by position, as dbt-duckdb's COPY fills the table's columns
    (DuckDB trims the header's names, agate does not: `" id"` is agate's
    column ` id`). `column_types` pins chosen columns by agate's names (one
    naming no CSV column is ignored, as in dbt); `delimiter` sets the
    separator. -#}
{% macro duckdb__seed_read_csv(model, agate_table=none) -%}
  {%- set column_types = model['config'].get('column_types') or {} -%}
  {%- set delimiter = model['config'].get('delimiter') or ',' -%}
  {%- set agate_table = agate_table if agate_table is not none else load_agate_table() -%}
  {%- set duckdb_types = {'integer': 'INTEGER', 'bigint': 'BIGINT', 'number': 'DOUBLE', 'date': 'DATE', 'datetime': 'TIMESTAMP', 'boolean': 'BOOLEAN', 'text': 'VARCHAR'} -%}
  read_csv({{ "'" ~ (model['seed_file'] | replace("'", "''")) ~ "'" }}, header = true, auto_detect = true, sample_size = -1,
    nullstr = ['', ' ', 'null', 'NULL', 'Null'],
    delim = '{{ delimiter | replace("'", "''") }}'
  {%- if agate_table.column_names %}, types = [ {%- for col in agate_table.columns -%}
      '{{ column_types.get(col.name) or duckdb_types.get(col.data_type, 'VARCHAR') }}'{{ ', ' if not loop.last }}
    {%- endfor -%} ]{% endif -%}
  )
{%- endmacro %}

{#- The select list of a seed: every CSV column (by DuckDB's name for it)
    named as agate names it (dbt's column), quoted unless quote_columns is
    false. -#}
{% macro duckdb__seed_select_list(model, csv_relation_sql, agate_table=none) -%}
  {%- set quote = model['config'].get('quote_columns') -%}
  {%- set names = (agate_table if agate_table is not none else load_agate_table()).column_names -%}
  {%- set cols = run_query('describe select * from ' ~ csv_relation_sql) -%}
  {%- for row in cols.rows -%}
    {%- set name = names[loop.index0] if loop.index0 < names | length else row[0] -%}
    {{ adapter.quote(row[0]) }} as {{ adapter.quote(name) if quote is not false else name }}{{ ', ' if not loop.last }}
  {%- endfor -%}
{%- endmacro %}

{#- dbt-duckdb's seed: by default (`fast: true`) the file itself is read
    into columns of agate's types, so a value agate reads as a number but
    DuckDB cannot (`1,200`, `$5`) fails the load, as dbt-duckdb's COPY does;
    `fast: false` inserts agate's values (1200, 5), as its load_csv_rows. -#}
{% materialization seed, adapter='duckdb' %}
  {%- set existing_relation = load_cached_relation(this) -%}
  {%- set target_relation = this.incorporate(type='table') -%}
  {%- set full_refresh_mode = should_full_refresh() -%}
  {%- set fast = config.get('fast', true) is not false -%}
  {%- set agate_table = load_agate_table() -%}
  {%- set csv_sql = duckdb__seed_read_csv(model, agate_table) if fast else none -%}
  {{ run_hooks(pre_hooks, inside_transaction=false) }}
  {{ run_hooks(pre_hooks, inside_transaction=true) }}

  {% if existing_relation is not none and (full_refresh_mode or existing_relation.type != 'table') %}
    {{ adapter.drop_relation(existing_relation) }}
    {%- set existing_relation = none -%}
  {% endif %}
  {% if not fast %}
    {{ seed_load_agate(target_relation, existing_relation, agate_table, config.get('column_types') or {}, config.get('quote_columns')) }}
  {% elif existing_relation is none %}
    {% call statement('main') -%}
      create table {{ target_relation }} as select {{ duckdb__seed_select_list(model, csv_sql, agate_table) }} from {{ csv_sql }}
    {%- endcall %}
  {% else %}
    {#- Keep the table (and what depends on it); replace its rows. -#}
    {% call statement('truncate_seed') -%}
      delete from {{ target_relation }}
    {%- endcall %}
    {% call statement('main') -%}
      insert into {{ target_relation }} select {{ duckdb__seed_select_list(model, csv_sql, agate_table) }} from {{ csv_sql }}
    {%- endcall %}
  {% endif %}

  {% do apply_grants(target_relation, config.get('grants'), should_revoke=false) %}
  {% do persist_docs(target_relation, model) %}
  {{ run_hooks(post_hooks, inside_transaction=true) }}
  {{ adapter.commit() }}
  {{ run_hooks(post_hooks, inside_transaction=false) }}
  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
