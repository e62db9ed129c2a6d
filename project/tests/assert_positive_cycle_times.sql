-- Coding time and the whole cycle can never be negative: both start at
-- work_started_at (the earlier of first commit and PR open), so a negative value
-- means a PR merged before it was opened or before its first commit.
select
    pr_id,
    created_at,
    first_commit_at,
    merged_at,
    coding_lead_time_hours,
    cycle_time_hours
from {{ ref('stg_pull_requests') }}
where coding_lead_time_hours < 0
   or cycle_time_hours < 0
