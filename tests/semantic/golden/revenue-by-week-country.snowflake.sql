with sq_1 as (
select
  to_date(date_trunc('WEEK', t0.metric_time__raw)) as metric_time__week,
  t1.customer__country as customer__country,
  sum(t0.measure__value) as revenue
from (
  select
    ordered_at as metric_time__raw,
    customer_id as customer__key,
    amount as measure__value,
    status as order__status
  from ANALYTICS.MAIN.ORDERS
) as t0
left outer join (
  select
    id as customer__key,
    country as customer__country
  from ANALYTICS.MAIN.CUSTOMERS
) as t1
  on t0.customer__key = t1.customer__key
where (t0.order__status = ?)
group by 1, 2
),
sq_2 as (
select
  to_date(date_trunc('WEEK', t0.metric_time__raw)) as metric_time__week,
  t1.customer__country as customer__country,
  sum(case when t0.measure__value then 1 else 0 end) as __numerator
from (
  select
    ordered_at as metric_time__raw,
    customer_id as customer__key,
    amount >= 100 as measure__value,
    status as order__status
  from ANALYTICS.MAIN.ORDERS
) as t0
left outer join (
  select
    id as customer__key,
    country as customer__country
  from ANALYTICS.MAIN.CUSTOMERS
) as t1
  on t0.customer__key = t1.customer__key
where (t0.order__status = ?)
group by 1, 2
),
sq_3 as (
select
  to_date(date_trunc('WEEK', t0.metric_time__raw)) as metric_time__week,
  t1.customer__country as customer__country,
  count(t0.measure__value) as __denominator
from (
  select
    ordered_at as metric_time__raw,
    customer_id as customer__key,
    order_id as measure__value,
    status as order__status
  from ANALYTICS.MAIN.ORDERS
) as t0
left outer join (
  select
    id as customer__key,
    country as customer__country
  from ANALYTICS.MAIN.CUSTOMERS
) as t1
  on t0.customer__key = t1.customer__key
where (t0.order__status = ?)
group by 1, 2
),
sq_4 as (
select
  metric_time__week,
  customer__country,
  cast(__numerator as double) / nullif(__denominator, 0) as big_order_share
from (
select
  coalesce(i1.metric_time__week, i2.metric_time__week) as metric_time__week,
  coalesce(i1.customer__country, i2.customer__country) as customer__country,
  i1.__numerator as __numerator,
  i2.__denominator as __denominator
from sq_2 as i1
full outer join sq_3 as i2
  on i1.metric_time__week is not distinct from i2.metric_time__week
  and i1.customer__country is not distinct from i2.customer__country
) as inputs
)
select
  coalesce(i1.metric_time__week, i2.metric_time__week) as metric_time__week,
  coalesce(i1.customer__country, i2.customer__country) as customer__country,
  i1.revenue as revenue,
  i2.big_order_share as big_order_share
from sq_1 as i1
full outer join sq_4 as i2
  on i1.metric_time__week is not distinct from i2.metric_time__week
  and i1.customer__country is not distinct from i2.customer__country
order by revenue desc
limit 10
