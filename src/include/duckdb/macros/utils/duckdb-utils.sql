{#- Where DuckDB's SQL differs from the `dbt` package's cross-database
    defaults (following dbt-duckdb's choices). -#}

{% macro duckdb__any_value(expression) -%}
  arbitrary({{ expression }})
{%- endmacro %}

{#- DuckDB has no to_date(text, format); make_date builds the date from parts. -#}
{% macro duckdb__date(year, month, day) -%}
  {%- do dbt.tsdbt_iso_date(year, month, day) -%}
  make_date({{ year }}, {{ month }}, {{ day }})
{%- endmacro %}

{#- An interval literal times a number, not `interval (<expr>) <unit>`, so the
    amount may be any expression (a column, a window function); DuckDB has no
    quarter interval and weeks are spelled as days. Parenthesised so a cast
    around the call applies to the whole sum. -#}
{% macro duckdb__dateadd(datepart, interval, from_date_or_timestamp) -%}
  {%- set unit = datepart | lower -%}
  {%- if unit == 'quarter' -%}
    ({{ from_date_or_timestamp }} + (cast({{ interval }} as bigint) * 3) * interval 1 month)
  {%- elif unit == 'week' -%}
    ({{ from_date_or_timestamp }} + (cast({{ interval }} as bigint) * 7) * interval 1 day)
  {%- else -%}
    ({{ from_date_or_timestamp }} + cast({{ interval }} as bigint) * interval 1 {{ unit }})
  {%- endif -%}
{%- endmacro %}

{#- DuckDB's date_diff counts boundaries crossed, as dbt's datediff does.
    Weeks: DuckDB's weeks start on Monday, dbt-duckdb's on Sunday; shifting
    both dates a day later makes each Sunday start a DuckDB week. -#}
{% macro duckdb__datediff(first_date, second_date, datepart) -%}
  {%- if datepart | lower == 'week' -%}
    date_diff('week', date_trunc('week', ({{ first_date }})::timestamp + interval 1 day), date_trunc('week', ({{ second_date }})::timestamp + interval 1 day))
  {%- else -%}
    date_diff('{{ datepart }}', ({{ first_date }})::timestamp, ({{ second_date }})::timestamp)
  {%- endif -%}
{%- endmacro %}

{% macro duckdb__generate_series(upper_bound) -%}
  {%- do dbt.get_powers_of_two(upper_bound) -%}
  select generate_series as generated_number from generate_series(1, {{ upper_bound }})
{%- endmacro %}

{#- A quarter is spelled as three months, as dbt-duckdb renders it (from
    when DuckDB's dateadd had no quarters). -#}
{% macro duckdb__last_day(date, datepart) -%}
  {%- if datepart | lower == 'quarter' -%}
    cast({{ dbt.dateadd('day', '-1', dbt.dateadd('month', '3', dbt.date_trunc(datepart, date))) }} as date)
  {%- else -%}
    {{ dbt.default_last_day(date, datepart) }}
  {%- endif -%}
{%- endmacro %}

{#- string_agg takes the ordering inside the call; a limit slices the ordered list first. -#}
{% macro duckdb__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
  {%- set ordering = (' ' ~ order_by_clause) if order_by_clause else '' -%}
  {%- if limit_num -%}
    list_aggr((array_agg({{ measure }}{{ ordering }}))[1:{{ limit_num }}], 'string_agg', {{ delimiter_text }})
  {%- else -%}
    string_agg({{ measure }}, {{ delimiter_text }}{{ ordering }})
  {%- endif -%}
{%- endmacro %}

{#- List indexing counts negative positions from the end, as dbt's split_part promises. -#}
{% macro duckdb__split_part(string_text, delimiter_text, part_number) -%}
  string_split({{ string_text }}, {{ delimiter_text }})[{{ part_number }}]
{%- endmacro %}
