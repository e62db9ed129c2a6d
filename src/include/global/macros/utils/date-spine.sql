{#- Generated rows: generate_series(n) selects generated_number 1..n;
    date_spine(datepart, start_date, end_date) selects date_<datepart>, one row
    per period from start_date up to (not including) end_date. -#}

{#- The smallest k >= 1 with 2^k >= upper_bound: how many 0/1 columns to cross join. -#}
{% macro get_powers_of_two(upper_bound) -%}
  {{ return(adapter.dispatch('get_powers_of_two', 'dbt')(upper_bound)) }}
{%- endmacro %}

{% macro default__get_powers_of_two(upper_bound) -%}
  {%- if upper_bound is not number or upper_bound <= 0 -%}
    {{ dbt.tsdbt_utils_error("generate_series: upper bound must be a positive number, got " ~ (upper_bound | string if upper_bound is number else "'" ~ upper_bound ~ "'") ~ ". Pass how many rows to generate (1 or more); for a date_spine, an end_date after start_date.") }}
  {%- endif -%}
  {%- set state = namespace(power=1) -%}
  {%- for _ in range(1, 128) -%}
    {%- if 2 ** state.power < upper_bound -%}
      {%- set state.power = state.power + 1 -%}
    {%- endif -%}
  {%- endfor -%}
  {{ return(state.power) }}
{%- endmacro %}

{% macro generate_series(upper_bound) -%}
  {{ return(adapter.dispatch('generate_series', 'dbt')(upper_bound)) }}
{%- endmacro %}

{#- Portable SQL: n columns of {0, 1} cross joined give 0..2^n-1 as binary digits. -#}
{% macro default__generate_series(upper_bound) -%}
  {%- set n = dbt.get_powers_of_two(upper_bound) -%}
with p as (
  select 0 as generated_number union all select 1
), unioned as (
  select {% for i in range(n) %}p{{ i }}.generated_number * power(2, {{ i }}) + {% endfor %}1 as generated_number
  from {% for i in range(n) %}p as p{{ i }}{{ ' cross join ' if not loop.last }}{% endfor %}
)
select * from unioned where generated_number <= {{ upper_bound }} order by generated_number
{%- endmacro %}

{#- How many `datepart` periods lie between the dates, asked of the database
    (so it runs a query while executing); 1 while parsing, when nothing runs. -#}
{% macro get_intervals_between(start_date, end_date, datepart) -%}
  {{ return(adapter.dispatch('get_intervals_between', 'dbt')(start_date, end_date, datepart)) }}
{%- endmacro %}

{% macro default__get_intervals_between(start_date, end_date, datepart) -%}
  {%- call statement('get_intervals_between', fetch_result=True) -%}
    select {{ dbt.datediff(start_date, end_date, datepart) }}
  {%- endcall -%}
  {%- set result = load_result('get_intervals_between') -%}
  {%- if result and result['data'] -%}
    {{ return(result['data'][0][0]) }}
  {%- else -%}
    {{ return(1) }}
  {%- endif -%}
{%- endmacro %}

{% macro date_spine(datepart, start_date, end_date) -%}
  {{ return(adapter.dispatch('date_spine', 'dbt')(datepart, start_date, end_date)) }}
{%- endmacro %}

{#- Usage: dbt.date_spine('day', "cast('2024-01-01' as date)", "cast('2024-02-01' as date)") -#}
{% macro default__date_spine(datepart, start_date, end_date) -%}
with rawdata as (
{{ dbt.generate_series(dbt.get_intervals_between(start_date, end_date, datepart)) }}
), all_periods as (
  select ({{ dbt.dateadd(datepart, 'row_number() over (order by 1) - 1', start_date) }}) as date_{{ datepart }}
  from rawdata
), filtered as (
  select * from all_periods where date_{{ datepart }} <= {{ end_date }}
)
select * from filtered
{%- endmacro %}
