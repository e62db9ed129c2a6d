{#- A microbatch batch on Snowflake: delete the target's rows of the batch
    window (bounds read with to_timestamp_tz, as the runner writes them with
    a UTC offset), then insert the batch's rows. -#}
{% macro snowflake__get_incremental_microbatch_sql(arg_dict) -%}
  {%- set target = arg_dict['target_relation'] -%}
  {%- set source = arg_dict['temp_relation'] -%}
  {%- set event_time = config.get('event_time') -%}
  {%- set cols = arg_dict['dest_columns'] | map(attribute='quoted') | join(', ') -%}
  delete from {{ target }} DBT_INTERNAL_TARGET
  where DBT_INTERNAL_TARGET.{{ event_time }} >= to_timestamp_tz('{{ config.get("__dbt_internal_microbatch_event_time_start") }}')
    and DBT_INTERNAL_TARGET.{{ event_time }} < to_timestamp_tz('{{ config.get("__dbt_internal_microbatch_event_time_end") }}')
  {%- for predicate in (arg_dict['incremental_predicates'] or []) %} and {{ predicate }}{% endfor %};
  insert into {{ target }} ({{ cols }})
  select {{ cols }} from {{ source }}
{%- endmacro %}
