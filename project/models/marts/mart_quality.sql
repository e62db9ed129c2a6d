-- Weekly quality signals per repository: reverts and bug fixes among merged PRs,
-- with reverts split by AI usage.
with merged as (

    select * from {{ ref('int_pr_with_commits') }}
    where merged_at is not null

)

select
    {{ date_trunc_week('merged_at') }} as week,
    repo_name,
    count(*) as total_prs,
    sum(case when is_reverted then 1 else 0 end) as reverted_prs,
    avg(case when is_reverted then 1.0 else 0.0 end) as revert_rate,
    sum(case when is_bug_fix then 1 else 0 end) as bug_fix_prs,
    avg(case when is_bug_fix then 1.0 else 0.0 end) as bug_fix_rate,
    sum(
        case when is_reverted and final_ai_ratio >= {{ var('high_ai_ratio_threshold') }} then 1 else 0 end
    ) as ai_ratio_high_reverts,
    sum(
        case when is_reverted and final_ai_ratio < {{ var('low_ai_ratio_threshold') }} then 1 else 0 end
    ) as ai_ratio_low_reverts
from merged
group by 1, 2
