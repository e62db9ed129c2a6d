{#- How old a source's newest row is: `tsdbt source freshness` calls this per
    source table with a loaded_at_field. Dispatched, so adapters and projects
    can override it (e.g. to read a metadata view instead of scanning). -#}
{% macro collect_freshness(source, loaded_at_field, filter) %}
  {{ return(adapter.dispatch('collect_freshness', 'dbt')(source, loaded_at_field, filter)) }}
{% endmacro %}

{% macro default__collect_freshness(source, loaded_at_field, filter) %}
  {% call statement('collect_freshness', fetch_result=True, auto_begin=False) -%}
    select
      max({{ loaded_at_field }}) as max_loaded_at,
      {{ current_timestamp() }} as snapshotted_at
    from {{ source }}
    {% if filter %}
    where {{ filter }}
    {% endif %}
  {%- endcall %}
  {{ return(load_result('collect_freshness')) }}
{% endmacro %}

{#- The same from a source's loaded_at_query (dbt 1.10): its one value is the
    newest load time, already rendered with the source's context. -#}
{% macro collect_freshness_custom_sql(source, loaded_at_query) %}
  {{ return(adapter.dispatch('collect_freshness_custom_sql', 'dbt')(source, loaded_at_query)) }}
{% endmacro %}

{% macro default__collect_freshness_custom_sql(source, loaded_at_query) %}
  {% call statement('collect_freshness_custom_sql', fetch_result=True, auto_begin=False) -%}
    with newest_load as (
      {{ loaded_at_query }}
    )
    select
      (select * from newest_load) as max_loaded_at,
      {{ current_timestamp() }} as snapshotted_at
  {%- endcall %}
  {{ return(load_result('collect_freshness_custom_sql')) }}
{% endmacro %}
