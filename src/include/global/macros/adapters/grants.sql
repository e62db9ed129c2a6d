{#- Grant statements, for adapters and packages that manage grants
    themselves. DuckDB has no grants (its apply_grants warns); Snowflake's
    apply_grants is tsdbt's own. These render dbt's default statement shapes. -#}

{% macro copy_grants() -%}
  {{ return(adapter.dispatch('copy_grants', 'dbt')()) }}
{%- endmacro %}

{% macro default__copy_grants() -%}
  {{ return(true) }}
{%- endmacro %}

{#- One statement may name several grantees (else one statement per grantee). -#}
{% macro support_multiple_grantees_per_dcl_statement() -%}
  {{ return(adapter.dispatch('support_multiple_grantees_per_dcl_statement', 'dbt')()) }}
{%- endmacro %}

{% macro default__support_multiple_grantees_per_dcl_statement() -%}
  {{ return(true) }}
{%- endmacro %}

{% macro get_show_grant_sql(relation) -%}
  {{ return(adapter.dispatch('get_show_grant_sql', 'dbt')(relation)) }}
{%- endmacro %}

{% macro default__get_show_grant_sql(relation) -%}
  show grants on {{ relation }}
{%- endmacro %}

{% macro get_grant_sql(relation, privilege, grantees) -%}
  {{ return(adapter.dispatch('get_grant_sql', 'dbt')(relation, privilege, grantees)) }}
{%- endmacro %}

{% macro default__get_grant_sql(relation, privilege, grantees) -%}
  grant {{ privilege }} on {{ relation }} to {{ grantees | join(', ') }}
{%- endmacro %}

{% macro get_revoke_sql(relation, privilege, grantees) -%}
  {{ return(adapter.dispatch('get_revoke_sql', 'dbt')(relation, privilege, grantees)) }}
{%- endmacro %}

{#- The revoked grantees are quoted (the granted ones are not), as dbt's default. -#}
{% macro default__get_revoke_sql(relation, privilege, grantees) -%}
  {%- set quoted = [] -%}
  {%- for grantee in grantees -%}{%- do quoted.append(adapter.quote(grantee)) -%}{%- endfor -%}
  revoke {{ privilege }} on {{ relation }} from {{ quoted | join(', ') }}
{%- endmacro %}

{#- The statements get_dcl_macro (get_grant_sql or get_revoke_sql) renders
    for a {privilege: [grantees]} dict: one per privilege, or one per
    grantee where a statement takes only one; privileges without grantees
    give none. -#}
{% macro get_dcl_statement_list(relation, grant_config, get_dcl_macro) -%}
  {{ return(adapter.dispatch('get_dcl_statement_list', 'dbt')(relation, grant_config, get_dcl_macro)) }}
{%- endmacro %}

{% macro default__get_dcl_statement_list(relation, grant_config, get_dcl_macro) -%}
  {%- set statements = [] -%}
  {%- set together = support_multiple_grantees_per_dcl_statement() -%}
  {%- for privilege, grantees in grant_config.items() if grantees -%}
    {%- if together -%}
      {%- do statements.append(get_dcl_macro(relation, privilege, grantees)) -%}
    {%- else -%}
      {%- for grantee in grantees -%}
        {%- do statements.append(get_dcl_macro(relation, privilege, [grantee])) -%}
      {%- endfor -%}
    {%- endif -%}
  {%- endfor -%}
  {{ return(statements) }}
{%- endmacro %}

{#- Run the statements as one, separated by semicolons (nothing when there are none). -#}
{% macro call_dcl_statements(dcl_statement_list) -%}
  {{ return(adapter.dispatch('call_dcl_statements', 'dbt')(dcl_statement_list)) }}
{%- endmacro %}

{% macro default__call_dcl_statements(dcl_statement_list) -%}
  {%- if dcl_statement_list -%}
    {% call statement('grants') -%}
      {% for dcl in dcl_statement_list %}{{ dcl }};{% endfor %}
    {%- endcall %}
  {%- endif -%}
{%- endmacro %}
