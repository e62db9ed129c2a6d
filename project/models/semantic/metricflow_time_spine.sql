-- One row per day, 2020 through 2030: the semantic layer's time spine
-- (cumulative metrics, offsets and join_to_timespine read it). Written in
-- SQL both DuckDB and Snowflake run: 10,000 numbers from four digits, and
-- a date plus a number of days.
with digits as (
  select n from (values (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) as d(n)
),
numbers as (
  select a.n + 10 * b.n + 100 * c.n + 1000 * e.n as n
  from digits a cross join digits b cross join digits c cross join digits e
)
select cast(cast('2020-01-01' as date) + n as date) as date_day
from numbers
where n < 4018
