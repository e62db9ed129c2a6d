{#- persist_docs: `persist_docs: {relation: true, columns: true}` writes the
    model's description and its columns' descriptions into the database as
    comments, after the relation is built. Adapters supply the comment
    statements (alter_relation_comment, alter_column_comment). -#}

{% macro persist_docs(relation, model, for_relation=true, for_columns=true) -%}
  {{ return(adapter.dispatch('persist_docs', 'dbt')(relation, model, for_relation, for_columns)) }}
{%- endmacro %}

{% macro default__persist_docs(relation, model, for_relation, for_columns) -%}
  {%- set wanted = config.get('persist_docs') or {} -%}
  {%- if for_relation and wanted.get('relation') and model.description -%}
    {% do run_query(alter_relation_comment(relation, model.description)) %}
  {%- endif -%}
  {%- if for_columns and wanted.get('columns') and model.columns -%}
    {%- set column_sql = alter_column_comment(relation, model.columns) -%}
    {%- if column_sql | trim -%}
      {% do run_query(column_sql) %}
    {%- endif -%}
  {%- endif -%}
{%- endmacro %}

{% macro alter_relation_comment(relation, relation_comment) -%}
  {{ return(adapter.dispatch('alter_relation_comment', 'dbt')(relation, relation_comment)) }}
{%- endmacro %}

{% macro default__alter_relation_comment(relation, relation_comment) -%}
  {{ exceptions.raise_not_implemented('alter_relation_comment macro not implemented for adapter ' ~ adapter.type()) }}
{%- endmacro %}

{% macro alter_column_comment(relation, column_dict) -%}
  {{ return(adapter.dispatch('alter_column_comment', 'dbt')(relation, column_dict)) }}
{%- endmacro %}

{% macro default__alter_column_comment(relation, column_dict) -%}
  {{ exceptions.raise_not_implemented('alter_column_comment macro not implemented for adapter ' ~ adapter.type()) }}
{%- endmacro %}

{#- grants: adapters that have them supply <adapter>__apply_grants; elsewhere nothing is done. -#}
{% macro apply_grants(relation, grant_config, should_revoke=true) -%}
  {{ return(adapter.dispatch('apply_grants', 'dbt')(relation, grant_config, should_revoke)) }}
{%- endmacro %}

{% macro default__apply_grants(relation, grant_config, should_revoke=true) -%}{%- endmacro %}

{#- Revoke grants not in the config only when the relation was kept (not rebuilt), and its grants copied. -#}
{% macro should_revoke(existing_relation, full_refresh_mode=true) -%}
  {%- if existing_relation is none -%}
    {{ return(false) }}
  {%- elif full_refresh_mode -%}
    {{ return(config.get('copy_grants', default=false)) }}
  {%- else -%}
    {{ return(true) }}
  {%- endif -%}
{%- endmacro %}

{#- A timestamp to make helper relation names unique: yyyymmddhhmmss plus microseconds. -#}
{% macro py_current_timestring() -%}
  {{ return(modules.datetime.datetime.now().strftime('%Y%m%d%H%M%S%f')) }}
{%- endmacro %}
