{#- The incremental strategies where DuckDB differs from the defaults (as
    dbt-duckdb): a model naming no strategy gets delete+insert, and
    delete+insert removes the replaced rows by key membership for one key
    column, by a join for several. -#}

{% macro duckdb__get_incremental_default_sql(arg_dict) -%}
  {{ return(get_incremental_delete_insert_sql(arg_dict)) }}
{%- endmacro %}

{#- Without a unique_key, only the insert. Every incremental predicate is
    and-ed to the delete's condition. -#}
{% macro duckdb__get_delete_insert_merge_sql(target, source, unique_key, dest_columns, incremental_predicates) -%}
  {%- set cols = get_quoted_csv(dest_columns | map(attribute='name')) -%}
  {%- set where = [] -%}
  {%- if unique_key is string -%}
    {%- do where.append('(' ~ unique_key ~ ') in (select (' ~ unique_key ~ ') from ' ~ source ~ ')') -%}
  {%- elif unique_key -%}
    {%- for key in unique_key -%}
      {%- do where.append('DBT_INTERNAL_SOURCE.' ~ key ~ ' = DBT_INTERNAL_DEST.' ~ key) -%}
    {%- endfor -%}
  {%- endif -%}
  {%- if where -%}
    {%- do where.extend(incremental_predicates or []) %}
  delete from {{ target }} as DBT_INTERNAL_DEST
  {%- if unique_key is not string %}
  using {{ source }} as DBT_INTERNAL_SOURCE
  {%- endif %}
  where {{ where | join('\n    and ') }};
  {%- endif %}
  insert into {{ target }} ({{ cols }})
  (
    select {{ cols }}
    from {{ source }}
  )
{%- endmacro %}
