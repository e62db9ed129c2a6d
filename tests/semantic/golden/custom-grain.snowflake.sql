with sq_1 as (
select
  cg1.cg_value as metric_time__fiscal_quarter,
  sum(t0.measure__value) as visits
from (
  select
    ds as metric_time__raw,
    1 as measure__value
  from ANALYTICS.MAIN.VISITS
) as t0
left outer join (select to_date(date_trunc('DAY', date_day)) as cg_day, fiscal_quarter as cg_value from ANALYTICS.MAIN.SPINE) as cg1
  on cg1.cg_day = to_date(date_trunc('DAY', t0.metric_time__raw))
group by 1
)
select
  metric_time__fiscal_quarter,
  visits
from sq_1
