{#- Data tests. The test's SQL returns the failing rows; the `main`
    statement counts them with fail_calc and judges them against warn_if /
    error_if, returning one row (failures, should_warn, should_error) that
    the runner turns into PASS / WARN / FAIL. With store_failures the failing
    rows are kept in a table named after the test, in the audit schema. -#}

{% materialization test, default %}
  {%- set relations = [] -%}
  {%- set main_sql = sql -%}
  {%- set store_as = store_failures_relation_type() -%}
  {% if store_as is not none %}
    {%- set identifier = model['alias'] -%}
    {%- set old_relation = adapter.get_relation(database=database, schema=schema, identifier=identifier) -%}
    {%- set target_relation = api.Relation.create(identifier=identifier, schema=schema, database=database, type=store_as) -%}
    {% if old_relation is not none %}
      {{ adapter.drop_relation(old_relation) }}
    {% endif %}
    {% call statement(auto_begin=true) -%}
      {%- if store_as == 'view' -%}
        {{ get_create_view_as_sql(target_relation, sql) }}
      {%- else -%}
        {{ get_create_table_as_sql(false, target_relation, sql) }}
      {%- endif -%}
    {%- endcall %}
    {% do adapter.cache_added(target_relation) %}
    {% do relations.append(target_relation) %}
    {%- set main_sql = 'select * from ' ~ target_relation -%}
    {{ adapter.commit() }}
  {% endif %}

  {%- set limit = config.get('limit') -%}
  {%- set fail_calc = config.get('fail_calc') or 'count(*)' -%}
  {%- set warn_if = config.get('warn_if') or '!= 0' -%}
  {%- set error_if = config.get('error_if') or '!= 0' -%}
  {#- A read-only query: no transaction, so no commit round trip per test. -#}
  {% call statement('main', fetch_result=true, auto_begin=false) -%}
    {{ get_test_sql(main_sql, fail_calc, warn_if, error_if, limit) }}
  {%- endcall %}
  {{ return({'relations': relations}) }}
{% endmaterialization %}

{% macro get_test_sql(main_sql, fail_calc, warn_if, error_if, limit) -%}
  {{ adapter.dispatch('get_test_sql', 'dbt')(main_sql, fail_calc, warn_if, error_if, limit) }}
{%- endmacro %}

{% macro default__get_test_sql(main_sql, fail_calc, warn_if, error_if, limit) -%}
    select
      {{ fail_calc }} as failures,
      {{ fail_calc }} {{ warn_if }} as should_warn,
      {{ fail_calc }} {{ error_if }} as should_error
    from (
      {{ main_sql }}
      {{ "limit " ~ limit if limit is not none }}
    ) dbt_internal_test
{%- endmacro %}

{#- How failing rows are kept: 'table' or 'view', or none. store_failures_as
    wins over store_failures (and --store-failures); 'ephemeral' keeps nothing. -#}
{% macro store_failures_relation_type() -%}
  {%- set store_as = config.get('store_failures_as') -%}
  {%- if store_as is none -%}
    {{ return('table' if should_store_failures() else none) }}
  {%- elif store_as in ['table', 'view'] -%}
    {{ return(store_as) }}
  {%- elif store_as == 'ephemeral' -%}
    {{ return(none) }}
  {%- else -%}
    {{ exceptions.raise_compiler_error("'" ~ store_as ~ "' is not a valid value for `store_failures_as`. Accepted values are: ['ephemeral', 'table', 'view']") }}
  {%- endif -%}
{%- endmacro %}

{#- A test's `where` config narrows the model it reads: the relation becomes a filtered subquery. -#}
{% macro get_where_subquery(relation) -%}
  {{ return(adapter.dispatch('get_where_subquery', 'dbt')(relation)) }}
{%- endmacro %}

{% macro default__get_where_subquery(relation) -%}
  {%- set where = config.get('where') -%}
  {%- if where -%}
    {%- set filtered -%}
      (select * from {{ relation }} where {{ where }}) dbt_subquery
    {%- endset -%}
    {{ return(filtered) }}
  {%- else -%}
    {{ return(relation) }}
  {%- endif -%}
{%- endmacro %}
