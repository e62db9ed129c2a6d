with sq_1 as (
select
  t0.user as user,
  sum(t0.measure__value) as buy_count
from (
  select
    user_id as user,
    1 as measure__value,
    ds as metric_time__raw
  from "test"."main"."buys"
) as t0
group by 1
),
sq_2 as (
select
  t0.visit__referrer as visit__referrer,
  sum(t0.measure__value) as visits
from (
  select
    user_id as user,
    referrer as visit__referrer,
    1 as measure__value,
    ds as metric_time__raw
  from "test"."main"."visits"
) as t0
left outer join sq_1 as mf1
  on mf1.user = t0.user
where (t0.visit__referrer <> ? and mf1.buy_count >= ?)
group by 1
)
select
  visit__referrer,
  visits
from sq_2
