{#- DDL on relations and schemas. Each public macro dispatches, so an
    adapter package (dbt_duckdb, dbt_snowflake) or a project can replace the
    SQL; adapter.* methods call these and keep the relation cache current. -#}

{% macro drop_relation(relation) -%}
  {{ return(adapter.dispatch('drop_relation', 'dbt')(relation)) }}
{%- endmacro %}

{% macro default__drop_relation(relation) -%}
  {% call statement('drop_relation', auto_begin=false) -%}
    drop {{ 'view' if relation.type == 'view' else 'table' }} if exists {{ relation }} cascade
  {%- endcall %}
{%- endmacro %}

{% macro drop_relation_if_exists(relation) -%}
  {%- if relation is not none -%}
    {{ adapter.drop_relation(relation) }}
  {%- endif -%}
{%- endmacro %}

{% macro rename_relation(from_relation, to_relation) -%}
  {{ return(adapter.dispatch('rename_relation', 'dbt')(from_relation, to_relation)) }}
{%- endmacro %}

{% macro default__rename_relation(from_relation, to_relation) -%}
  {% call statement('rename_relation') -%}
    alter {{ 'view' if from_relation.type == 'view' else 'table' }} {{ from_relation }} rename to {{ to_relation.include(database=false, schema=false) }}
  {%- endcall %}
{%- endmacro %}

{% macro truncate_relation(relation) -%}
  {{ return(adapter.dispatch('truncate_relation', 'dbt')(relation)) }}
{%- endmacro %}

{% macro default__truncate_relation(relation) -%}
  {% call statement('truncate_relation') -%}
    truncate table {{ relation }}
  {%- endcall %}
{%- endmacro %}

{% macro create_schema(relation) -%}
  {{ return(adapter.dispatch('create_schema', 'dbt')(relation)) }}
{%- endmacro %}

{% macro default__create_schema(relation) -%}
  {% call statement('create_schema', auto_begin=false) -%}
    create schema if not exists {{ relation.without_identifier() if relation.without_identifier is defined else relation.include(identifier=false) }}
  {%- endcall %}
{%- endmacro %}

{% macro drop_schema(relation) -%}
  {{ return(adapter.dispatch('drop_schema', 'dbt')(relation)) }}
{%- endmacro %}

{% macro default__drop_schema(relation) -%}
  {% call statement('drop_schema', auto_begin=false) -%}
    drop schema if exists {{ relation.include(identifier=false) }} cascade
  {%- endcall %}
{%- endmacro %}

{#- Names of the helper relations a materialization swaps through. -#}
{% macro make_intermediate_relation(base_relation, suffix='__dbt_tmp') -%}
  {{ return(adapter.dispatch('make_intermediate_relation', 'dbt')(base_relation, suffix)) }}
{%- endmacro %}

{% macro default__make_intermediate_relation(base_relation, suffix) -%}
  {{ return(base_relation.incorporate(path={'identifier': base_relation.identifier ~ suffix})) }}
{%- endmacro %}

{#- A microbatch batch gets its own temp relation (`<name>__dbt_tmp_<batch id>`),
    so batches running at once do not replace each other's (as dbt-adapters). -#}
{% macro make_temp_relation(base_relation, suffix='__dbt_tmp') -%}
  {%- if suffix == '__dbt_tmp' and model and model.batch -%}
    {%- set suffix = suffix ~ '_' ~ model.batch.id -%}
  {%- endif -%}
  {{ return(adapter.dispatch('make_temp_relation', 'dbt')(base_relation, suffix)) }}
{%- endmacro %}

{% macro default__make_temp_relation(base_relation, suffix) -%}
  {{ return(base_relation.incorporate(path={'identifier': base_relation.identifier ~ suffix}, type='table')) }}
{%- endmacro %}

{% macro make_backup_relation(base_relation, backup_relation_type, suffix='__dbt_backup') -%}
  {{ return(adapter.dispatch('make_backup_relation', 'dbt')(base_relation, backup_relation_type, suffix)) }}
{%- endmacro %}

{% macro default__make_backup_relation(base_relation, backup_relation_type, suffix) -%}
  {{ return(base_relation.incorporate(path={'identifier': base_relation.identifier ~ suffix}, type=backup_relation_type)) }}
{%- endmacro %}

{% macro load_cached_relation(relation) -%}
  {{ return(adapter.get_relation(database=relation.database, schema=relation.schema, identifier=relation.identifier)) }}
{%- endmacro %}

{% macro load_relation(relation) -%}
  {{ return(load_cached_relation(relation)) }}
{%- endmacro %}

{#- [found, relation]: the cached relation when it exists, else one made
    from the arguments (nothing is created in the database). -#}
{% macro get_or_create_relation(database, schema, identifier, type) -%}
  {{ return(adapter.dispatch('get_or_create_relation', 'dbt')(database, schema, identifier, type)) }}
{%- endmacro %}

{% macro default__get_or_create_relation(database, schema, identifier, type) -%}
  {%- set found = adapter.get_relation(database=database, schema=schema, identifier=identifier) -%}
  {%- if found is not none -%}
    {{ return([true, found]) }}
  {%- endif -%}
  {{ return([false, api.Relation.create(database=database, schema=schema, identifier=identifier, type=type)]) }}
{%- endmacro %}

{#- The information schema of `database` (the bare name without one). -#}
{% macro information_schema_name(database) -%}
  {{ return(adapter.dispatch('information_schema_name', 'dbt')(database)) }}
{%- endmacro %}

{% macro default__information_schema_name(database) -%}
  {%- if database -%}{{ database }}.INFORMATION_SCHEMA{%- else -%}INFORMATION_SCHEMA{%- endif -%}
{%- endmacro %}

{#- CREATE ... AS statements. -#}
{% macro get_create_table_as_sql(temporary, relation, sql) -%}
  {{ return(adapter.dispatch('get_create_table_as_sql', 'dbt')(temporary, relation, sql)) }}
{%- endmacro %}

{% macro default__get_create_table_as_sql(temporary, relation, sql) -%}
  {{ return(create_table_as(temporary, relation, sql)) }}
{%- endmacro %}

{% macro create_table_as(temporary, relation, compiled_code, language='sql') -%}
  {{ return(adapter.dispatch('create_table_as', 'dbt')(temporary, relation, compiled_code)) }}
{%- endmacro %}

{% macro default__create_table_as(temporary, relation, sql) -%}
  create {{ 'temporary ' if temporary }}table {{ relation.include(database=not temporary, schema=not temporary) }} as (
    {{ sql }}
  )
{%- endmacro %}

{% macro get_create_view_as_sql(relation, sql) -%}
  {{ return(adapter.dispatch('get_create_view_as_sql', 'dbt')(relation, sql)) }}
{%- endmacro %}

{% macro default__get_create_view_as_sql(relation, sql) -%}
  {{ return(create_view_as(relation, sql)) }}
{%- endmacro %}

{% macro create_view_as(relation, sql) -%}
  {{ return(adapter.dispatch('create_view_as', 'dbt')(relation, sql)) }}
{%- endmacro %}

{% macro default__create_view_as(relation, sql) -%}
  create view {{ relation }} as (
    {{ sql }}
  )
{%- endmacro %}

{#- Features tsdbt accepts in configs but has nothing to do for on these adapters. -#}
{% macro set_sql_header(config) -%}{{ config.set('sql_header', caller()) }}{%- endmacro %}

{#- Indexes (the `indexes` config): DuckDB and Snowflake have none to build,
    so get_create_index_sql gives none and create_indexes runs nothing, as
    dbt's defaults; an adapter package supplies its SQL. -#}
{% macro create_indexes(relation) -%}
  {{ adapter.dispatch('create_indexes', 'dbt')(relation) }}
{%- endmacro %}

{% macro default__create_indexes(relation) -%}
  {%- for index in config.get('indexes', default=[]) or [] -%}
    {%- set index_sql = get_create_index_sql(relation, index) -%}
    {%- if index_sql -%}{%- do run_query(index_sql) -%}{%- endif -%}
  {%- endfor -%}
{%- endmacro %}

{% macro get_create_index_sql(relation, index_dict) -%}
  {{ return(adapter.dispatch('get_create_index_sql', 'dbt')(relation, index_dict)) }}
{%- endmacro %}

{% macro default__get_create_index_sql(relation, index_dict) -%}
  {{ return(none) }}
{%- endmacro %}

{% macro get_drop_index_sql(relation, index_name) -%}
  {{ adapter.dispatch('get_drop_index_sql', 'dbt')(relation, index_name) }}
{%- endmacro %}

{% macro default__get_drop_index_sql(relation, index_name) -%}
  {{ exceptions.raise_compiler_error("get_drop_index_sql is not implemented for adapter " ~ adapter.type()) }}
{%- endmacro %}

{% macro get_show_indexes_sql(relation) -%}
  {{ adapter.dispatch('get_show_indexes_sql', 'dbt')(relation) }}
{%- endmacro %}

{% macro default__get_show_indexes_sql(relation) -%}
  {{ exceptions.raise_compiler_error("get_show_indexes_sql is not implemented for adapter " ~ adapter.type()) }}
{%- endmacro %}
