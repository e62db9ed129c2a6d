{#- incremental_strategy='microbatch' (dbt 1.9): one batch replaces the
    target's rows of its event_time window: delete the window, then insert
    the batch's rows (delete+insert on the window, as dbt-duckdb does). The
    runner sets the window as config `__dbt_internal_microbatch_event_time_start`
    / `_end` for each batch. -#}

{% macro get_incremental_microbatch_sql(arg_dict) -%}
  {{ return(adapter.dispatch('get_incremental_microbatch_sql', 'dbt')(arg_dict)) }}
{%- endmacro %}

{% macro default__get_incremental_microbatch_sql(arg_dict) -%}
  {%- set target = arg_dict['target_relation'] -%}
  {%- set source = arg_dict['temp_relation'] -%}
  {%- set event_time = config.get('event_time') -%}
  {%- set start_time = config.get('__dbt_internal_microbatch_event_time_start') -%}
  {%- set end_time = config.get('__dbt_internal_microbatch_event_time_end') -%}
  {%- set cols = arg_dict['dest_columns'] | map(attribute='quoted') | join(', ') -%}
  delete from {{ target }}
  where {{ event_time }} >= '{{ start_time }}' and {{ event_time }} < '{{ end_time }}'
  {%- for predicate in (arg_dict['incremental_predicates'] or []) %}
    and {{ predicate }}
  {%- endfor %};
  insert into {{ target }} ({{ cols }})
  select {{ cols }} from {{ source }}
{%- endmacro %}
