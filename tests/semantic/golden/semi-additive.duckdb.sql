with sq_1 as (
select
  cast(date_trunc('month', t0.metric_time__raw) as date) as metric_time__month,
  cast(date_trunc('day', t0.balance__ds) as date) as nad__time,
  t0.account as nad__g1,
  t0.measure__value as measure__value
from (
  select
    ds as metric_time__raw,
    balance as measure__value,
    ds as balance__ds,
    account_id as account
  from "test"."main"."balances"
) as t0
),
sq_2 as (
select
  r.metric_time__month as metric_time__month,
  sum(r.measure__value) as latest_balance
from (
  select *, max(nad__time) over (partition by metric_time__month, nad__g1) as nad__pick
  from sq_1
) as r
where r.nad__time = r.nad__pick
group by 1
)
select
  metric_time__month,
  latest_balance
from sq_2
