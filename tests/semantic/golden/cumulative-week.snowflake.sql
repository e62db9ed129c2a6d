with sq_1 as (
select
  to_date(date_trunc('WEEK', ts.spine_day)) as metric_time__week,
  sum(t0.measure__value) as revenue_trailing_2d
from (select to_date(date_trunc('DAY', date_day)) as spine_day from ANALYTICS.MAIN.SPINE) as ts
inner join (
  select
    ordered_at as metric_time__raw,
    amount as measure__value
  from ANALYTICS.MAIN.ORDERS
) as t0
  on to_date(date_trunc('DAY', t0.metric_time__raw)) <= ts.spine_day and to_date(date_trunc('DAY', t0.metric_time__raw)) > to_date(dateadd(day, -2, ts.spine_day))
where (ts.spine_day = to_date(date_trunc('WEEK', ts.spine_day)))
group by 1
)
select
  metric_time__week,
  revenue_trailing_2d
from sq_1
