{{ config(severity='warn') }}
-- Warns (never fails) about PRs whose review phases are out of order: reviewed
-- before the PR was open and held code (negative pickup time), or merged before
-- its first review (negative review lead time). The timestamps are kept as the
-- API sent them; `finding` says which order is broken.
select
    pr_id,
    ready_at,
    first_review_at,
    merged_at,
    case
        when pickup_time_hours < 0 then 'reviewed before the PR was open and held code'
        else 'merged before its first review'
    end as finding
from {{ ref('stg_pull_requests') }}
where pickup_time_hours < 0
   or review_lead_time_hours < 0
