with sq_1 as (
select
  to_date(date_trunc('WEEK', t0.metric_time__raw)) as metric_time__week,
  t1.user__country as user__country,
  sum(t0.measure__value) as __base
from (
  select
    ds as metric_time__raw,
    user_id as user__key,
    1 as measure__value,
    referrer as visit__referrer
  from ANALYTICS.MAIN.VISITS
) as t0
left outer join (
  select
    user_id as user__key,
    country as user__country
  from ANALYTICS.MAIN.USERS
) as t1
  on t0.user__key = t1.user__key
where (t0.visit__referrer = ?)
group by 1, 2
),
sq_2 as (
select
  to_date(date_trunc('WEEK', t0.metric_time__raw)) as metric_time__week,
  t1.user__country as user__country,
  to_date(date_trunc('DAY', t0.metric_time__raw)) as cv__time,
  t0.user as cv__entity,
  t0.measure__value as measure__value
from (
  select
    ds as metric_time__raw,
    user_id as user__key,
    1 as measure__value,
    user_id as user,
    referrer as visit__referrer
  from ANALYTICS.MAIN.VISITS
) as t0
left outer join (
  select
    user_id as user__key,
    country as user__country
  from ANALYTICS.MAIN.USERS
) as t1
  on t0.user__key = t1.user__key
where (t0.visit__referrer = ?)
),
sq_3 as (
select
  to_date(date_trunc('DAY', t0.metric_time__raw)) as cv__time,
  t0.user as cv__entity,
  uuid_string() as cv__row,
  t0.measure__value as measure__value
from (
  select
    1 as measure__value,
    ds as metric_time__raw,
    user_id as user
  from ANALYTICS.MAIN.BUYS
) as t0
),
sq_4 as (
select distinct
  first_value(b.metric_time__week) over (partition by c.cv__row order by b.cv__time desc rows between unbounded preceding and unbounded following) as metric_time__week,
  first_value(b.user__country) over (partition by c.cv__row order by b.cv__time desc rows between unbounded preceding and unbounded following) as user__country,
  c.cv__row as cv__row,
  c.measure__value as measure__value
from sq_2 as b
inner join sq_3 as c
  on b.cv__entity = c.cv__entity
  and b.cv__time <= c.cv__time
  and b.cv__time > to_date(dateadd(day, -7, c.cv__time))
),
sq_5 as (
select
  metric_time__week,
  user__country,
  sum(measure__value) as __conv
from sq_4
group by 1, 2
),
sq_6 as (
select
  metric_time__week,
  user__country,
  cast(__conv as double) / nullif(__base, 0) as visit_buy_rate_7d
from (
select
  coalesce(i1.metric_time__week, i2.metric_time__week) as metric_time__week,
  coalesce(i1.user__country, i2.user__country) as user__country,
  i1.__base as __base,
  i2.__conv as __conv
from sq_1 as i1
full outer join sq_5 as i2
  on i1.metric_time__week is not distinct from i2.metric_time__week
  and i1.user__country is not distinct from i2.user__country
) as inputs
)
select
  metric_time__week,
  user__country,
  visit_buy_rate_7d
from sq_6
