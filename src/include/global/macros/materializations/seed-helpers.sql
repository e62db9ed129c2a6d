{#- dbt's seed helpers by name, for custom seed materializations and
    packages: the table made, emptied or rebuilt, and the rows loaded as the
    seed materialization (seed.sql) does it, with literals in batches of
    seed_batch_size(). `model` is the seed node; its relation is `this`. -#}

{% macro get_batch_size() -%}
  {{ return(adapter.dispatch('get_batch_size', 'dbt')()) }}
{%- endmacro %}

{% macro default__get_batch_size() -%}
  {{ return(seed_batch_size()) }}
{%- endmacro %}

{#- The placeholder of a bound value in dbt's parameterised inserts. -#}
{% macro get_binding_char() -%}
  {{ return(adapter.dispatch('get_binding_char', 'dbt')()) }}
{%- endmacro %}

{% macro default__get_binding_char() -%}
  {{ return('%s') }}
{%- endmacro %}

{#- The seed's columns, each quoted unless the seed's quote_columns is false, comma-separated. -#}
{% macro get_seed_column_quoted_csv(model, column_names) -%}
  {%- set quote_columns = model['config'].get('quote_columns', none) -%}
  {%- set quoted = [] -%}
  {%- for name in column_names -%}{%- do quoted.append(adapter.quote_seed_column(name, quote_columns)) -%}{%- endfor -%}
  {{ return(quoted | join(', ')) }}
{%- endmacro %}

{#- Create the seed's table for agate_table's columns (typed by inference or column_types); returns its SQL. -#}
{% macro create_csv_table(model, agate_table) -%}
  {{ return(adapter.dispatch('create_csv_table', 'dbt')(model, agate_table)) }}
{%- endmacro %}

{% macro default__create_csv_table(model, agate_table) -%}
  {%- set cols = seed_quoted_columns(agate_table, model['config'].get('quote_columns', none)) -%}
  {%- set sql = seed_create_table(this.incorporate(type='table'), cols, agate_table, model['config'].get('column_types') or {}) -%}
  {%- do adapter.cache_added(this.incorporate(type='table')) -%}
  {{ return(sql) }}
{%- endmacro %}

{#- Drop and recreate the table on a full refresh, else empty it; returns the SQL that did it. -#}
{% macro reset_csv_table(model, full_refresh, old_relation, agate_table) -%}
  {{ return(adapter.dispatch('reset_csv_table', 'dbt')(model, full_refresh, old_relation, agate_table)) }}
{%- endmacro %}

{% macro default__reset_csv_table(model, full_refresh, old_relation, agate_table) -%}
  {%- if full_refresh -%}
    {%- do adapter.drop_relation(old_relation) -%}
    {{ return(create_csv_table(model, agate_table)) }}
  {%- endif -%}
  {%- do adapter.truncate_relation(old_relation) -%}
  {{ return('truncate table ' ~ old_relation) }}
{%- endmacro %}

{#- Insert agate_table's rows into the seed's table; returns the first insert's SQL. -#}
{% macro load_csv_rows(model, agate_table) -%}
  {{ return(adapter.dispatch('load_csv_rows', 'dbt')(model, agate_table)) }}
{%- endmacro %}

{% macro default__load_csv_rows(model, agate_table) -%}
  {%- set cols = seed_quoted_columns(agate_table, model['config'].get('quote_columns', none)) -%}
  {{ return(seed_insert_rows(this.incorporate(type='table'), cols, agate_table.rows)) }}
{%- endmacro %}

{#- The SQL a seed's run reports: the create or truncate, then the inserts. -#}
{% macro get_csv_sql(create_or_truncate_sql, insert_sql) -%}
  {{ adapter.dispatch('get_csv_sql', 'dbt')(create_or_truncate_sql, insert_sql) }}
{%- endmacro %}

{% macro default__get_csv_sql(create_or_truncate_sql, insert_sql) -%}
  {{ create_or_truncate_sql }};
  -- dbt seed --
  {{ insert_sql }}
{%- endmacro %}
