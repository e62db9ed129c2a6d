{#- Per-model query tags and grants on Snowflake. -#}

{#- With `query_tag` in a model's config, the session's tag is set for the
    model's statements and put back afterwards (set_query_tag returns the
    tag to restore; unset_query_tag restores it). Without one, nothing runs. -#}
{% macro set_query_tag() -%}
  {{ return(adapter.dispatch('set_query_tag', 'dbt')()) }}
{%- endmacro %}

{% macro snowflake__set_query_tag() -%}
  {%- set tag = config.get('query_tag') -%}
  {%- if not tag -%}
    {{ return(none) }}
  {%- endif -%}
  {%- set original = get_current_query_tag() -%}
  {{ log("Setting query_tag to '" ~ tag ~ "'. Will reset to '" ~ original ~ "' after materialization.") }}
  {% do run_query("alter session set query_tag = '" ~ snowflake__escape_single_quotes(tag) ~ "'") %}
  {{ return(original) }}
{%- endmacro %}

{% macro unset_query_tag(original_query_tag) -%}
  {{ return(adapter.dispatch('unset_query_tag', 'dbt')(original_query_tag)) }}
{%- endmacro %}

{% macro snowflake__unset_query_tag(original_query_tag) -%}
  {%- if not config.get('query_tag') -%}
    {{ return('') }}
  {%- endif -%}
  {%- if original_query_tag -%}
    {{ log("Resetting query_tag to '" ~ original_query_tag ~ "'.") }}
    {% do run_query("alter session set query_tag = '" ~ snowflake__escape_single_quotes(original_query_tag) ~ "'") %}
  {%- else -%}
    {{ log("No original query_tag, unsetting parameter.") }}
    {% do run_query("alter session unset query_tag") %}
  {%- endif -%}
{%- endmacro %}

{#- The session's current tag ('' when none), from `show parameters`: dbt-snowflake's public macro, which packages (dbt_snowflake_query_tags) call. -#}
{% macro get_current_query_tag() -%}
  {%- set result = run_query("show parameters like 'query_tag' in session") -%}
  {%- set rows = result.rows -%}
  {{ return(rows[0]['value'] if rows | length > 0 and rows[0]['value'] is not none else '') }}
{%- endmacro %}

{#- Grants: `grants: {select: [role_a, role_b]}` in a model's config. A
    `create or replace` drops the object's grants unless copy_grants is on,
    so after each build the current grants (`show grants on`) are compared
    with the configured ones: missing ones are granted and, when the
    relation's grants were copied over, extra ones revoked. -#}
{% macro snowflake_apply_grants(relation, grant_config, should_revoke=true) -%}
  {%- if not grant_config -%}
    {{ return('') }}
  {%- endif -%}
  {%- set current = {} -%}
  {%- if should_revoke -%}
    {%- set shown = run_query('show grants on ' ~ ('view ' if relation.type == 'view' else 'table ') ~ relation.render()) -%}
    {%- for row in shown.rows -%}
      {%- set privilege = row['privilege'] | lower -%}
      {%- if row['granted_to'] | upper == 'ROLE' and privilege != 'ownership' -%}
        {%- do current.setdefault(privilege, []).append(row['grantee_name'] | upper) -%}
      {%- endif -%}
    {%- endfor -%}
  {%- endif -%}
  {%- set object_kind = 'view' if relation.type == 'view' else 'table' -%}
  {%- for privilege, grantees in grant_config.items() -%}
    {%- set wanted = ([grantees] if grantees is string else grantees) | map('upper') | list -%}
    {%- set have = current.get(privilege | lower, []) -%}
    {%- set revoke = have | reject('in', wanted) | list -%}
    {%- set grant = wanted | reject('in', have) | list -%}
    {#- Snowflake takes one grantee per GRANT / REVOKE statement. -#}
    {%- for role in revoke -%}
      {% call statement('revoke_' ~ privilege, auto_begin=false) -%}
        revoke {{ privilege }} on {{ object_kind }} {{ relation }} from role {{ role }}
      {%- endcall %}
    {%- endfor -%}
    {%- for role in grant -%}
      {% call statement('grant_' ~ privilege, auto_begin=false) -%}
        grant {{ privilege }} on {{ object_kind }} {{ relation }} to role {{ role }}
      {%- endcall %}
    {%- endfor -%}
  {%- endfor -%}
{%- endmacro %}
