{#- What `tsdbt docs generate` records in catalog.json: every column of every
    relation in the given schemas, with its table's type. Dispatched, so an
    adapter (or project) can read its own metadata views instead. -#}
{% macro tsdbt_get_catalog(schemas) %}
  {{ return(adapter.dispatch('tsdbt_get_catalog', 'dbt')(schemas)) }}
{% endmacro %}

{% macro default__tsdbt_get_catalog(schemas) %}
  {% call statement('catalog', fetch_result=True, auto_begin=False) -%}
    select
      c.table_catalog as table_database,
      c.table_schema as table_schema,
      c.table_name as table_name,
      t.table_type as table_type,
      c.column_name as column_name,
      c.ordinal_position as column_index,
      c.data_type as column_type
    from information_schema.columns c
    join information_schema.tables t
      on t.table_catalog = c.table_catalog and t.table_schema = c.table_schema and t.table_name = c.table_name
    where lower(c.table_schema) in (
      {%- for s in schemas -%}'{{ s | lower | replace("'", "''") }}'{{ ', ' if not loop.last }}{%- endfor -%}
    )
    order by 1, 2, 3, 6
  {%- endcall %}
  {{ return(load_result('catalog')) }}
{% endmacro %}
