{#- Metadata lookups by macro, answered by the adapter's own methods (the
    same queries tsdbt's relation cache runs) unless an adapter package has
    its SQL (dbt_snowflake's show commands). -#}

{% macro list_relations_without_caching(schema_relation) -%}
  {{ return(adapter.dispatch('list_relations_without_caching', 'dbt')(schema_relation)) }}
{%- endmacro %}

{#- The relations of a schema, read from the database (the cache is not consulted). -#}
{% macro default__list_relations_without_caching(schema_relation) -%}
  {{ return(adapter.list_relations_without_caching(schema_relation)) }}
{%- endmacro %}

{% macro get_columns_in_relation(relation) -%}
  {{ return(adapter.dispatch('get_columns_in_relation', 'dbt')(relation)) }}
{%- endmacro %}

{% macro default__get_columns_in_relation(relation) -%}
  {{ return(adapter.get_columns_in_relation(relation)) }}
{%- endmacro %}

{#- The schema names of a database. -#}
{% macro list_schemas(database) -%}
  {{ return(adapter.dispatch('list_schemas', 'dbt')(database)) }}
{%- endmacro %}

{% macro default__list_schemas(database) -%}
  {%- set result = run_query("select schema_name from " ~ information_schema_name(database) ~ ".schemata where catalog_name = '" ~ database ~ "'") -%}
  {{ return(result.columns[0].values()) }}
{%- endmacro %}

{#- 1 when the schema exists, else 0; `information_schema` is a database name or a relation. -#}
{% macro check_schema_exists(information_schema, schema) -%}
  {{ return(adapter.dispatch('check_schema_exists', 'dbt')(information_schema, schema)) }}
{%- endmacro %}

{% macro default__check_schema_exists(information_schema, schema) -%}
  {%- set database = information_schema.database if information_schema.database is defined else information_schema -%}
  {{ return(1 if adapter.check_schema_exists(database, schema) else 0) }}
{%- endmacro %}

{#- Postgres's foreign-key walk; no other adapter has relations to report. -#}
{% macro get_relations() -%}
  {{ return(adapter.dispatch('get_relations', 'dbt')()) }}
{%- endmacro %}

{% macro default__get_relations() -%}
  {{ return([]) }}
{%- endmacro %}
