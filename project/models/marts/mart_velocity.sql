-- Weekly delivery speed per repository, over PRs merged that week.
with merged as (

    select * from {{ ref('int_pr_with_commits') }}
    where merged_at is not null

)

select
    {{ date_trunc_week('merged_at') }} as week,
    repo_name,
    count(distinct author_email) as active_developers,
    count(*) as total_prs,
    avg(total_loc) as avg_pr_size,
    avg(coding_lead_time_hours) as coding_lead_time,
    avg(pickup_time_hours) as pickup_time,
    avg(review_lead_time_hours) as review_lead_time,
    avg(cycle_time_hours) as total_cycle_time,
    {{ percentile_cont(0.5, 'cycle_time_hours') }} as p50_cycle_time,
    {{ percentile_cont(0.9, 'cycle_time_hours') }} as p90_cycle_time,
    avg(final_ai_ratio) as avg_ai_ratio
from merged
group by 1, 2
