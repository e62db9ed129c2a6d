-- One row per day, 2020 through 2030: the semantic layer's time spine
-- (cumulative metrics, offsets and join_to_timespine read it).
{% if target.type == 'snowflake' %}
select dateadd(day, seq4(), to_date('2020-01-01')) as date_day
from table(generator(rowcount => 4018))
{% else %}
select cast(range as date) as date_day
from range(date '2020-01-01', date '2031-01-01', interval 1 day)
{% endif %}
