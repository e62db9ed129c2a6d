-- Every cycle-time component must be zero or positive: a negative value means
-- timestamps are out of order (or a derived first commit / first review is wrong).
select
    pr_id,
    coding_lead_time_hours,
    pickup_time_hours,
    review_lead_time_hours,
    cycle_time_hours
from {{ ref('stg_pull_requests') }}
where coding_lead_time_hours < 0
   or pickup_time_hours < 0
   or review_lead_time_hours < 0
   or cycle_time_hours < 0
