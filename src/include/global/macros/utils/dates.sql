{#- Date arithmetic. `datepart` is a bare unit name (day, week, month,
    quarter, year, hour...); dates are SQL expressions. -#}

{#- date(year, month, day): a date literal from three numbers. -#}
{% macro date(year, month, day) -%}
  {{ return(adapter.dispatch('date', 'dbt')(year, month, day)) }}
{%- endmacro %}

{% macro default__date(year, month, day) -%}
  {%- set iso = dbt.tsdbt_iso_date(year, month, day) -%}
  to_date('{{ iso }}', 'YYYY-MM-DD')
{%- endmacro %}

{#- YYYY-MM-DD for a calendar date, or a compiler error naming the bad input. -#}
{% macro tsdbt_iso_date(year, month, day) -%}
  {%- if year is not number or month is not number or day is not number -%}
    {{ dbt.tsdbt_utils_error("dbt.date(" ~ year ~ ", " ~ month ~ ", " ~ day ~ "): year, month and day must be numbers. Pass them unquoted, e.g. dbt.date(2024, 1, 31).") }}
  {%- endif -%}
  {%- set days_in_month = [31, 29 if (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] -%}
  {%- if year < 1 or year > 9999 or month < 1 or month > 12 or day < 1 or day > days_in_month[month - 1] -%}
    {{ dbt.tsdbt_utils_error("dbt.date(" ~ year ~ ", " ~ month ~ ", " ~ day ~ ") is not a calendar date. Give a year 1-9999, a month 1-12 and a day that exists in that month.") }}
  {%- endif -%}
  {{ return(modules.datetime.date(year, month, day).strftime('%Y-%m-%d')) }}
{%- endmacro %}

{% macro date_trunc(datepart, date) -%}
  {{ return(adapter.dispatch('date_trunc', 'dbt')(datepart, date)) }}
{%- endmacro %}

{% macro default__date_trunc(datepart, date) -%}
  date_trunc('{{ datepart }}', {{ date }})
{%- endmacro %}

{#- dateadd(datepart, interval, from_date_or_timestamp): `interval` (a number
    or SQL expression, may be negative) units of `datepart` later. -#}
{% macro dateadd(datepart, interval, from_date_or_timestamp) -%}
  {{ return(adapter.dispatch('dateadd', 'dbt')(datepart, interval, from_date_or_timestamp)) }}
{%- endmacro %}

{% macro default__dateadd(datepart, interval, from_date_or_timestamp) -%}
  dateadd({{ datepart }}, {{ interval }}, {{ from_date_or_timestamp }})
{%- endmacro %}

{#- datediff(first_date, second_date, datepart): how many `datepart`
    boundaries lie between the two (Snowflake's semantics: 2024-01-31 to
    2024-02-01 is one month), negative when second_date is earlier. -#}
{% macro datediff(first_date, second_date, datepart) -%}
  {{ return(adapter.dispatch('datediff', 'dbt')(first_date, second_date, datepart)) }}
{%- endmacro %}

{% macro default__datediff(first_date, second_date, datepart) -%}
  datediff({{ datepart }}, {{ first_date }}, {{ second_date }})
{%- endmacro %}

{#- last_day(date, datepart): the last day of the `datepart` (month, quarter,
    year...) that `date` falls in, as a date. -#}
{% macro last_day(date, datepart) -%}
  {{ return(adapter.dispatch('last_day', 'dbt')(date, datepart)) }}
{%- endmacro %}

{#- Start of the period, one period on, one day back. -#}
{% macro default_last_day(date, datepart) -%}
  cast({{ dbt.dateadd('day', '-1', dbt.dateadd(datepart, '1', dbt.date_trunc(datepart, date))) }} as date)
{%- endmacro %}

{% macro default__last_day(date, datepart) -%}
  {{ dbt.default_last_day(date, datepart) }}
{%- endmacro %}
