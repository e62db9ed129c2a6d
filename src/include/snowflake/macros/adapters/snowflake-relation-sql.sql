{#- Snowflake: `create or replace` for tables and views; a rename takes the
    fully qualified new name (as snowflake__rename_relation runs it). -#}
{% macro snowflake__get_replace_view_sql(relation, sql) -%}
  {{ tsdbt_create_or_replace('view', relation, sql) }}
{%- endmacro %}

{% macro snowflake__get_replace_table_sql(relation, sql) -%}
  {{ tsdbt_create_or_replace('table', relation, sql) }}
{%- endmacro %}

{% macro snowflake_renamed(relation, new_name) -%}
  {{- relation.incorporate(path={'identifier': new_name.identifier if new_name.identifier is defined else new_name}) -}}
{%- endmacro %}

{% macro snowflake__get_rename_table_sql(relation, new_name) -%}
  alter table {{ relation }} rename to {{ snowflake_renamed(relation, new_name) }}
{%- endmacro %}

{% macro snowflake__get_rename_view_sql(relation, new_name) -%}
  alter view {{ relation }} rename to {{ snowflake_renamed(relation, new_name) }}
{%- endmacro %}

{#- Snapshot times as TIMESTAMP_NTZ in UTC. -#}
{% macro snowflake__snapshot_get_time() -%}
  to_timestamp_ntz({{ current_timestamp() }})
{%- endmacro %}

{% macro snowflake__snapshot_string_as_time(timestamp) -%}
  to_timestamp_ntz('{{ timestamp }}')
{%- endmacro %}
