{#- DuckDB: contracted tables, temporary helper tables, comments (persist_docs)
    and grants, following dbt-duckdb's behaviour. -#}

{#- A contracted table is created from its declared columns and constraints
    (DuckDB has no `create table t (columns) as select`), then filled by an
    insert of the model's rows in the YAML's column order. Temporary tables
    (the incremental's new rows) take no constraints, but the contract is
    still checked: a changed model fails before it touches the target. -#}
{% macro duckdb__create_table_as(temporary, relation, sql) -%}
  {%- set contract = config.get('contract') or {} -%}
  {%- if contract.enforced -%}
    {{ get_assert_columns_equivalent(sql) }}
  {%- endif -%}
  {%- set sql_header = config.get('sql_header', none) -%}
  {{ sql_header if sql_header is not none }}
  {%- if contract.enforced and not temporary %}
  create table {{ relation }} {{ get_table_columns_and_constraints() }};
  insert into {{ relation }} ({{ get_column_names() }})
  {{ get_select_subquery(sql) }}
  {%- else %}
  create {{ 'temporary ' if temporary }}table {{ relation.include(database=not temporary, schema=not temporary) }} as (
    {{ sql }}
  )
  {%- endif -%}
{%- endmacro %}

{% macro duckdb__create_view_as(relation, sql) -%}
  {%- set contract = config.get('contract') or {} -%}
  {%- if contract.enforced -%}
    {{ get_assert_columns_equivalent(sql) }}
  {%- endif -%}
  {%- set sql_header = config.get('sql_header', none) -%}
  {{ sql_header if sql_header is not none }}
  create view {{ relation }} as (
    {{ sql }}
  )
{%- endmacro %}

{#- The incremental's new rows go to a temporary table (in DuckDB's `temp`
    catalog, gone with the connection), named as dbt-duckdb names it:
    `<model>__dbt_tmp<yyyymmddhhmmssffffff>`, unqualified. -#}
{% macro duckdb__make_temp_relation(base_relation, suffix) -%}
  {{ return(base_relation.incorporate(path={'identifier': base_relation.identifier ~ suffix ~ py_current_timestring(), 'schema': none, 'database': none}, type='table')) }}
{%- endmacro %}

{#- Comments as standard SQL strings: quotes doubled, nothing else is special. -#}
{% macro tsdbt_duckdb_comment_literal(comment) -%}
  '{{ comment | string | replace("'", "''") }}'
{%- endmacro %}

{% macro duckdb__alter_relation_comment(relation, relation_comment) -%}
  comment on {{ 'view' if relation.type == 'view' else 'table' }} {{ relation }} is {{ tsdbt_duckdb_comment_literal(relation_comment) }};
{%- endmacro %}

{#- Only columns the relation has get a comment (a YAML column may be
    documented but not selected); names match case-insensitively and are
    written as the relation spells them. -#}
{% macro duckdb__alter_column_comment(relation, column_dict) -%}
  {%- set existing = {} -%}
  {%- for col in adapter.get_columns_in_relation(relation) -%}
    {%- do existing.update({col.name | lower: col.name}) -%}
  {%- endfor -%}
  {%- for name in column_dict if (column_dict[name]['name'] | lower) in existing %}
  comment on column {{ relation }}.{{ adapter.quote(existing[column_dict[name]['name'] | lower]) }} is {{ tsdbt_duckdb_comment_literal(column_dict[name]['description'] or '') }};
  {%- endfor %}
{%- endmacro %}

{#- DuckDB has no grants: a grants config is accepted and warned about once, as dbt-duckdb does. -#}
{% macro duckdb__apply_grants(relation, grant_config, should_revoke=true) -%}
  {%- if grant_config -%}
    {%- do adapter.warn_once('Grants for relations are not supported by DuckDB') -%}
  {%- endif -%}
{%- endmacro %}
