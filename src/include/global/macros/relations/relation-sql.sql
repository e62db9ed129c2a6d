{#- The SQL of relation DDL as text, for materializations and packages that
    build their own statements: drop, rename, create, replace, and the
    backup/intermediate swap. Nothing here runs SQL; each public macro
    dispatches so an adapter or project can replace it. A drop or rename
    renders what drop_relation / rename_relation (adapters/relation.sql) run. -#}

{% macro get_drop_sql(relation) -%}
  {{ return(adapter.dispatch('get_drop_sql', 'dbt')(relation)) }}
{%- endmacro %}

{% macro default__get_drop_sql(relation) -%}
  {%- if relation.is_view -%}
    {{ return(drop_view(relation)) }}
  {%- elif relation.is_materialized_view -%}
    {{ return(drop_materialized_view(relation)) }}
  {%- else -%}
    {{ return(drop_table(relation)) }}
  {%- endif -%}
{%- endmacro %}

{% macro drop_table(relation) -%}
  {{ return(adapter.dispatch('drop_table', 'dbt')(relation)) }}
{%- endmacro %}

{% macro default__drop_table(relation) -%}
  drop table if exists {{ relation }} cascade
{%- endmacro %}

{% macro drop_view(relation) -%}
  {{ return(adapter.dispatch('drop_view', 'dbt')(relation)) }}
{%- endmacro %}

{% macro default__drop_view(relation) -%}
  drop view if exists {{ relation }} cascade
{%- endmacro %}

{% macro drop_materialized_view(relation) -%}
  {{ return(adapter.dispatch('drop_materialized_view', 'dbt')(relation)) }}
{%- endmacro %}

{% macro default__drop_materialized_view(relation) -%}
  drop materialized view if exists {{ relation }} cascade
{%- endmacro %}

{#- Rename to `new_name`: an identifier, or a relation whose identifier is taken. -#}
{% macro get_rename_sql(relation, new_name) -%}
  {{ return(adapter.dispatch('get_rename_sql', 'dbt')(relation, new_name)) }}
{%- endmacro %}

{% macro default__get_rename_sql(relation, new_name) -%}
  {%- if relation.is_view -%}
    {{ return(get_rename_view_sql(relation, new_name)) }}
  {%- elif relation.is_table -%}
    {{ return(get_rename_table_sql(relation, new_name)) }}
  {%- elif relation.is_materialized_view -%}
    {{ return(get_rename_materialized_view_sql(relation, new_name)) }}
  {%- else -%}
    {{ exceptions.raise_compiler_error("get_rename_sql cannot rename " ~ relation ~ ": its type is " ~ relation.type ~ ", not view, table or materialized_view.") }}
  {%- endif -%}
{%- endmacro %}

{% macro tsdbt_rename_target(new_name) -%}
  {{- new_name.identifier if new_name.identifier is defined else new_name -}}
{%- endmacro %}

{% macro get_rename_table_sql(relation, new_name) -%}
  {{ return(adapter.dispatch('get_rename_table_sql', 'dbt')(relation, new_name)) }}
{%- endmacro %}

{% macro default__get_rename_table_sql(relation, new_name) -%}
  alter table {{ relation }} rename to {{ tsdbt_rename_target(new_name) }}
{%- endmacro %}

{% macro get_rename_view_sql(relation, new_name) -%}
  {{ return(adapter.dispatch('get_rename_view_sql', 'dbt')(relation, new_name)) }}
{%- endmacro %}

{% macro default__get_rename_view_sql(relation, new_name) -%}
  alter view {{ relation }} rename to {{ tsdbt_rename_target(new_name) }}
{%- endmacro %}

{% macro get_rename_materialized_view_sql(relation, new_name) -%}
  {{ return(adapter.dispatch('get_rename_materialized_view_sql', 'dbt')(relation, new_name)) }}
{%- endmacro %}

{% macro default__get_rename_materialized_view_sql(relation, new_name) -%}
  {{ exceptions.raise_compiler_error("get_rename_materialized_view_sql is not implemented for adapter " ~ adapter.type()) }}
{%- endmacro %}

{#- Create `relation` (a table or a view, by its type) as `sql`. -#}
{% macro get_create_sql(relation, sql) -%}
  {{ return(adapter.dispatch('get_create_sql', 'dbt')(relation, sql)) }}
{%- endmacro %}

{% macro default__get_create_sql(relation, sql) -%}
  {%- if relation.is_view -%}
    {{ return(get_create_view_as_sql(relation, sql)) }}
  {%- elif relation.is_table -%}
    {{ return(get_create_table_as_sql(false, relation, sql)) }}
  {%- elif relation.is_materialized_view -%}
    {{ return(get_create_materialized_view_as_sql(relation, sql)) }}
  {%- else -%}
    {{ exceptions.raise_compiler_error("get_create_sql cannot create " ~ relation ~ ": its type is " ~ relation.type ~ ", not view, table or materialized_view.") }}
  {%- endif -%}
{%- endmacro %}

{% macro get_create_materialized_view_as_sql(relation, sql) -%}
  {{ return(adapter.dispatch('get_create_materialized_view_as_sql', 'dbt')(relation, sql)) }}
{%- endmacro %}

{% macro default__get_create_materialized_view_as_sql(relation, sql) -%}
  {{ exceptions.raise_compiler_error("get_create_materialized_view_as_sql is not implemented for adapter " ~ adapter.type()) }}
{%- endmacro %}

{#- The swap through `<name>__dbt_tmp` and `<name>__dbt_backup`. -#}
{% macro get_create_intermediate_sql(relation, sql) -%}
  {{ return(adapter.dispatch('get_create_intermediate_sql', 'dbt')(relation, sql)) }}
{%- endmacro %}

{% macro default__get_create_intermediate_sql(relation, sql) -%}
  {%- set intermediate = make_intermediate_relation(relation) -%}
  {{ get_drop_sql(intermediate) }};
  {{ get_create_sql(intermediate, sql) }}
{%- endmacro %}

{% macro get_rename_intermediate_sql(relation) -%}
  {{ return(adapter.dispatch('get_rename_intermediate_sql', 'dbt')(relation)) }}
{%- endmacro %}

{% macro default__get_rename_intermediate_sql(relation) -%}
  {{ return(get_rename_sql(make_intermediate_relation(relation), relation.identifier)) }}
{%- endmacro %}

{% macro get_create_backup_sql(relation) -%}
  {{ return(adapter.dispatch('get_create_backup_sql', 'dbt')(relation)) }}
{%- endmacro %}

{% macro default__get_create_backup_sql(relation) -%}
  {%- set backup = make_backup_relation(relation, relation.type) -%}
  {{ get_drop_sql(backup) }};
  {{ get_rename_sql(relation, backup.identifier) }}
{%- endmacro %}

{% macro get_drop_backup_sql(relation) -%}
  {{ return(adapter.dispatch('get_drop_backup_sql', 'dbt')(relation)) }}
{%- endmacro %}

{% macro default__get_drop_backup_sql(relation) -%}
  {{ return(get_drop_sql(make_backup_relation(relation, relation.type))) }}
{%- endmacro %}

{#- Replace `existing_relation` by `target_relation` built from `sql`. Where
    the relation keeps its type and the adapter replaces that type in place,
    one `create or replace`. Otherwise in steps, each chosen by what can be
    renamed: the new relation is built under its intermediate name when it can
    be renamed into place (else built where it goes, once the old is out of
    the way), and the old one is moved to its backup name when it can be
    renamed (so it survives until the new one is there), else dropped. -#}
{% macro get_replace_sql(existing_relation, target_relation, sql) -%}
  {{ return(adapter.dispatch('get_replace_sql', 'dbt')(existing_relation, target_relation, sql)) }}
{%- endmacro %}

{% macro default__get_replace_sql(existing_relation, target_relation, sql) -%}
  {%- set replace_in_place = {
      'view': get_replace_view_sql,
      'table': get_replace_table_sql,
      'materialized_view': get_replace_materialized_view_sql,
  } -%}
  {%- set kind = existing_relation.type -%}
  {%- if kind == target_relation.type and existing_relation.can_be_replaced and kind in replace_in_place -%}
    {{ replace_in_place[kind](target_relation, sql) }}
  {%- else -%}
    {%- set build_aside = target_relation.can_be_renamed -%}
    {%- set keep_old = existing_relation.can_be_renamed -%}
    {%- set steps = [] -%}
    {%- if build_aside -%}
      {%- do steps.append(get_create_intermediate_sql(target_relation, sql)) -%}
    {%- endif -%}
    {%- do steps.append(get_create_backup_sql(existing_relation) if keep_old else get_drop_sql(existing_relation)) -%}
    {%- do steps.append(get_rename_intermediate_sql(target_relation) if build_aside else get_create_sql(target_relation, sql)) -%}
    {%- if keep_old -%}
      {%- do steps.append(get_drop_backup_sql(existing_relation)) -%}
    {%- endif -%}
    {{ steps | join(';\n    ') }}
  {%- endif -%}
{%- endmacro %}

{% macro get_replace_view_sql(relation, sql) -%}
  {{ return(adapter.dispatch('get_replace_view_sql', 'dbt')(relation, sql)) }}
{%- endmacro %}

{#- No portable `create or replace`: DuckDB and Snowflake have theirs (tsdbt_create_or_replace, for their packages). -#}
{% macro default__get_replace_view_sql(relation, sql) -%}
  {{ exceptions.raise_compiler_error("get_replace_view_sql is not implemented for adapter " ~ adapter.type()) }}
{%- endmacro %}

{% macro tsdbt_create_or_replace(kind, relation, sql) -%}
  create or replace {{ kind }} {{ relation }} as (
    {{ sql }}
  )
{%- endmacro %}

{% macro get_replace_table_sql(relation, sql) -%}
  {{ return(adapter.dispatch('get_replace_table_sql', 'dbt')(relation, sql)) }}
{%- endmacro %}

{% macro default__get_replace_table_sql(relation, sql) -%}
  {{ exceptions.raise_compiler_error("get_replace_table_sql is not implemented for adapter " ~ adapter.type()) }}
{%- endmacro %}

{% macro get_replace_materialized_view_sql(relation, sql) -%}
  {{ return(adapter.dispatch('get_replace_materialized_view_sql', 'dbt')(relation, sql)) }}
{%- endmacro %}

{% macro default__get_replace_materialized_view_sql(relation, sql) -%}
  {{ exceptions.raise_compiler_error("get_replace_materialized_view_sql is not implemented for adapter " ~ adapter.type()) }}
{%- endmacro %}
