{#- Snowflake DDL and introspection (dbt-snowflake 1.9 behaviour, our own Jinja).
    Unquoted names fold to upper case in Snowflake, so every name comparison
    here is case-insensitive; relations render unquoted unless the project
    turns quoting on. -#}

{#- Tables are transient unless `transient: false`: no fail-safe storage
    cost for tables dbt rebuilds anyway. `create or replace` is atomic: if
    the query fails, the previous table is still there, untouched. -#}
{#- A contracted model is checked against its YAML columns first; a
    contracted table is created with the declared columns and constraints
    (Snowflake enforces not null only; the others are kept as metadata, with
    dbt's warning) and filled from the query's columns in YAML order, still
    in one atomic `create or replace ... as`. -#}
{% macro snowflake__create_table_as(temporary, relation, sql) -%}
  {%- set contract = config.get('contract') or {} -%}
  {%- if contract.enforced -%}
    {{ get_assert_columns_equivalent(sql) }}
  {%- endif -%}
  {%- set columns_ddl = '' -%}
  {%- if contract.enforced and not temporary -%}
    {%- set columns_ddl = ' ' ~ get_table_columns_and_constraints() -%}
    {%- set sql = get_select_subquery(sql) -%}
  {%- endif -%}
  {%- set transient = config.get('transient', default=true) if not temporary else false -%}
  {%- set cluster_by = config.get('cluster_by') if not temporary else none -%}
  {%- set cluster_by = [cluster_by] if cluster_by is string else cluster_by -%}
  {%- set copy_grants = config.get('copy_grants', default=false) -%}
  create or replace {{ 'temporary ' if temporary else ('transient ' if transient else '') }}table {{ relation }}{{ columns_ddl }}
  {{- ' copy grants' if copy_grants and not temporary }} as (
    {%- if cluster_by %}
    select * from (
      {{ sql }}
    ) order by ({{ cluster_by | join(', ') }})
    {%- else %}
    {{ sql }}
    {%- endif %}
  );
  {%- if cluster_by %}
  alter table {{ relation }} cluster by ({{ cluster_by | join(', ') }});
  {%- if config.get('automatic_clustering', default=false) %}
  alter table {{ relation }} resume recluster;
  {%- endif %}
  {%- endif %}
{%- endmacro %}

{% macro snowflake__create_view_as(relation, sql) -%}
  {%- if (config.get('contract') or {}).enforced -%}
    {{ get_assert_columns_equivalent(sql) }}
  {%- endif -%}
  {%- set secure = config.get('secure', default=false) -%}
  {%- set copy_grants = config.get('copy_grants', default=false) -%}
  create or replace {{ 'secure ' if secure }}view {{ relation }}
  {{- ' copy grants' if copy_grants }} as (
    {{ sql }}
  );
{%- endmacro %}

{#- A temporary view for incremental runs (Snowflake has them; dbt-snowflake
    uses one when a single statement reads it). -#}
{% macro snowflake_create_temporary_view(relation, sql) -%}
  {%- if (config.get('contract') or {}).enforced -%}
    {{ get_assert_columns_equivalent(sql) }}
  {%- endif -%}
  create or replace temporary view {{ relation }} as (
    {{ sql }}
  );
{%- endmacro %}

{#- Temp relations keep database and schema: a Snowflake temporary table
    lives in a schema and is gone when the session ends. -#}
{% macro snowflake__make_temp_relation(base_relation, suffix) -%}
  {{ return(base_relation.incorporate(path={'identifier': base_relation.identifier ~ suffix}, type='table')) }}
{%- endmacro %}

{% macro snowflake__drop_relation(relation) -%}
  {% call statement('drop_relation', auto_begin=false) -%}
    drop {{ 'view' if relation.type == 'view' else 'table' }} if exists {{ relation }} cascade
  {%- endcall %}
{%- endmacro %}

{#- Snowflake's rename takes a fully qualified target name. -#}
{% macro snowflake__rename_relation(from_relation, to_relation) -%}
  {% call statement('rename_relation', auto_begin=false) -%}
    alter {{ 'view' if from_relation.type == 'view' else 'table' }} {{ from_relation }} rename to {{ to_relation }}
  {%- endcall %}
{%- endmacro %}

{% macro snowflake__truncate_relation(relation) -%}
  {% call statement('truncate_relation', auto_begin=false) -%}
    truncate table {{ relation }}
  {%- endcall %}
{%- endmacro %}

{% macro snowflake__create_schema(relation) -%}
  {% call statement('create_schema', auto_begin=false) -%}
    create schema if not exists {{ relation.include(identifier=false) }}
  {%- endcall %}
{%- endmacro %}

{% macro snowflake__drop_schema(relation) -%}
  {% call statement('drop_schema', auto_begin=false) -%}
    drop schema if exists {{ relation.include(identifier=false) }} cascade
  {%- endcall %}
{%- endmacro %}

{#- Schemas of a database, upper-cased as Snowflake reports them. -#}
{% macro list_schemas(database) -%}
  {{ return(adapter.dispatch('list_schemas', 'dbt')(database)) }}
{%- endmacro %}

{% macro snowflake__list_schemas(database) -%}
  {%- set result = run_query('show terse schemas in database ' ~ adapter.quote_as_configured(database, 'database')) -%}
  {{ return(result.columns['name'].values()) }}
{%- endmacro %}

{% macro check_schema_exists(information_schema, schema) -%}
  {{ return(adapter.dispatch('check_schema_exists', 'dbt')(information_schema, schema)) }}
{%- endmacro %}

{#- `information_schema` may be a database name or a relation; the answer is
    a one-row table holding the count, as dbt's macro returns it. -#}
{% macro snowflake__check_schema_exists(information_schema, schema) -%}
  {%- set database = information_schema.database if information_schema.database is defined else information_schema -%}
  {%- set names = snowflake__list_schemas(database) | map('upper') | list -%}
  {{ return(1 if (schema | upper) in names else 0) }}
{%- endmacro %}

{% macro get_columns_in_relation(relation) -%}
  {{ return(adapter.dispatch('get_columns_in_relation', 'dbt')(relation)) }}
{%- endmacro %}

{#- `describe table` names and types each column (`NUMBER(38,0)`,
    `VARCHAR(16777216)`); the type's size becomes the Column's. A relation
    that does not exist has no columns. -#}
{% macro snowflake__get_columns_in_relation(relation) -%}
  {%- set result = run_query('describe table ' ~ relation.render()) -%}
  {%- set columns = [] -%}
  {%- for row in result.rows -%}
    {%- if row['kind'] | upper == 'COLUMN' -%}
      {% do columns.append(snowflake_column_from_type(row['name'], row['type'])) %}
    {%- endif -%}
  {%- endfor -%}
  {{ return(columns) }}
{%- endmacro %}

{#- `NUMBER(38,0)` → Column(name, NUMBER, precision 38, scale 0);
    `VARCHAR(16777216)` → Column(name, VARCHAR, char_size 16777216). -#}
{% macro snowflake_column_from_type(name, type) -%}
  {%- set base = type.split('(')[0] | trim -%}
  {%- set args = type[type.find('(') + 1:-1].split(',') if '(' in type else [] -%}
  {%- if base | upper in ['VARCHAR', 'CHAR', 'CHARACTER', 'STRING', 'TEXT'] and args | length == 1 -%}
    {{ return(api.Column.create(name, base, args[0] | int)) }}
  {%- elif base | upper in ['NUMBER', 'DECIMAL', 'NUMERIC'] and args | length == 2 -%}
    {{ return(api.Column(name, base, none, args[0] | int, args[1] | int)) }}
  {%- else -%}
    {{ return(api.Column.create(name, type)) }}
  {%- endif -%}
{%- endmacro %}

{% macro list_relations_without_caching(schema_relation) -%}
  {{ return(adapter.dispatch('list_relations_without_caching', 'dbt')(schema_relation)) }}
{%- endmacro %}

{#- One `show terse objects` per schema lists tables and views with their
    kind; it answers for a schema that does not exist with error 002043,
    which means "no relations" here. -#}
{% macro snowflake__list_relations_without_caching(schema_relation) -%}
  {%- set relations = [] -%}
  {%- set result = run_query('show terse objects in schema ' ~ schema_relation.include(identifier=false)) -%}
  {%- for row in result.rows -%}
    {%- set kind = row['kind'] | upper -%}
    {% do relations.append(api.Relation.create(
        database=row['database_name'], schema=row['schema_name'], identifier=row['name'],
        type='view' if kind == 'VIEW' else ('materialized_view' if kind == 'MATERIALIZED_VIEW' else 'table'))) %}
  {%- endfor -%}
  {{ return(relations) }}
{%- endmacro %}
