-- Weekly outcomes of merged PRs by AI-usage band (bands from the ai_ratio_bands seed).
with merged as (

    select * from {{ ref('int_pr_with_commits') }}
    where merged_at is not null

)

select
    {{ date_trunc_week('merged_at') }} as week,
    ai_usage_band,
    ai_band_sort_order,
    count(*) as pr_count,
    avg(final_ai_ratio) as avg_ai_ratio,
    avg(coding_lead_time_hours) as avg_coding_lead_time,
    avg(pickup_time_hours + review_lead_time_hours) as avg_review_cycle_time,
    avg(review_comment_count * 1.0 / nullif(total_loc, 0)) as avg_review_density,
    avg(1.0 + changes_requested_count) as avg_iterations,
    avg(case when is_reverted then 1.0 else 0.0 end) as revert_rate,
    avg(case when is_bug_fix then 1.0 else 0.0 end) as hotfix_rate
from merged
group by 1, 2, 3
