{#- seed on Snowflake. A new table (first run, --full-refresh, or a view in
    the way) is made with one atomic `create or replace transient table`
    with a type per column (inferred, or from `column_types`). Rows go in as
    batched `insert ... values` inside one transaction that, on a re-run,
    first deletes the old rows: a failing batch rolls back, leaving the
    previous rows in place. Literals use Snowflake's escapes (backslash is an
    escape character in its string literals, unlike the SQL standard). -#}

{% macro snowflake__seed_column_type(agate_type) -%}
  {%- set types = {'integer': 'integer', 'bigint': 'integer', 'number': 'float', 'boolean': 'boolean', 'date': 'date', 'datetime': 'timestamp_ntz', 'text': 'varchar'} -%}
  {{ return(types.get(agate_type, 'varchar')) }}
{%- endmacro %}

{#- Snowflake caps one statement's text at 1 MB; 1000 rows of literals stays well under it for typical seeds. -#}
{% macro snowflake__seed_batch_size() -%}
  {{ return(1000) }}
{%- endmacro %}

{% macro snowflake__seed_literal(value) -%}
  {%- if value is none -%}null
  {%- elif value is boolean -%}{{ 'true' if value else 'false' }}
  {%- elif value is number -%}{{ value }}
  {%- else -%}'{{ value | string | replace('\\', '\\\\') | replace("'", "''") }}'
  {%- endif -%}
{%- endmacro %}

{% materialization seed, adapter='snowflake' %}
  {%- set original_query_tag = set_query_tag() -%}
  {%- set existing_relation = load_cached_relation(this) -%}
  {%- set target_relation = this.incorporate(type='table') -%}
  {%- set agate_table = load_agate_table() -%}
  {%- set column_types = config.get('column_types') or {} -%}
  {%- set quote_columns = config.get('quote_columns') -%}
  {%- set cols = [] -%}
  {%- for col in agate_table.columns -%}
    {% do cols.append(adapter.quote_seed_column(col.name, quote_columns)) %}
  {%- endfor -%}
  {{ run_hooks(pre_hooks, inside_transaction=false) }}

  {% if existing_relation is not none and not existing_relation.is_table %}
    {{ adapter.drop_relation(existing_relation) }}
    {%- set existing_relation = none -%}
  {% endif %}
  {%- set rebuild = existing_relation is none or should_full_refresh() -%}
  {% if rebuild %}
    {%- set create_or_delete_sql -%}
      create or replace {{ 'transient ' if config.get('transient', default=true) }}table {{ target_relation }} (
        {%- for col in agate_table.columns %}
        {{ cols[loop.index0] }} {{ seed_column_type(col.data_type, column_types.get(col.name)) }}{{ ',' if not loop.last }}
        {%- endfor %}
      )
    {%- endset -%}
    {% call statement('create_seed_table', auto_begin=false) -%}
      {{ create_or_delete_sql }}
    {%- endcall %}
    {% do adapter.cache_added(target_relation) %}
  {% endif %}
  {{ run_hooks(pre_hooks, inside_transaction=true) }}
  {% if not rebuild %}
    {%- set create_or_delete_sql = 'delete from ' ~ target_relation -%}
    {% call statement('delete_seed_rows', auto_begin=true) -%}
      {{ create_or_delete_sql }}
    {%- endcall %}
  {% endif %}
  {%- set insert_sql = seed_insert_rows(target_relation, cols, agate_table.rows) -%}
  {{ seed_main_statement(create_or_delete_sql, insert_sql, agate_table.rows | length) }}

  {{ run_hooks(post_hooks, inside_transaction=true) }}
  {{ adapter.commit() }}
  {{ run_hooks(post_hooks, inside_transaction=false) }}
  {% do snowflake_apply_grants(target_relation, config.get('grants'), should_revoke=not rebuild) %}
  {% do unset_query_tag(original_query_tag) %}
  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
