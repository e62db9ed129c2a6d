-- Pull requests joined with aggregates of their commits and reviews, and the
-- AI-usage band (from the ai_ratio_bands seed) their final AI ratio falls in.
with pull_requests as (

    select * from {{ ref('stg_pull_requests') }}

),

commit_agg as (

    select
        links.pr_id,
        count(*) as linked_commit_count,
        sum(commits.total_lines_added) as commit_lines_added,
        sum(commits.ai_lines_added) as commit_ai_lines_added,
        sum(commits.tab_lines_added) as commit_tab_lines_added,
        sum(commits.composer_lines_added) as commit_composer_lines_added,
        count(distinct commits.user_email) as committer_count
    from {{ ref('stg_pull_request_commits') }} as links
    inner join {{ ref('stg_commits') }} as commits
        on commits.commit_hash = links.commit_hash
    group by links.pr_id

),

review_agg as (

    select
        pr_id,
        count(*) as review_count,
        sum(case when is_approval then 1 else 0 end) as approval_count,
        sum(case when is_changes_requested then 1 else 0 end) as changes_requested_count,
        sum(comment_count) as review_comment_count
    from {{ ref('stg_reviews') }}
    group by pr_id

),

enriched as (

    select
        pull_requests.*,
        coalesce(commit_agg.linked_commit_count, 0) as linked_commit_count,
        coalesce(commit_agg.commit_lines_added, 0) as commit_lines_added,
        coalesce(commit_agg.commit_ai_lines_added, 0) as commit_ai_lines_added,
        coalesce(commit_agg.committer_count, 0) as committer_count,
        commit_agg.commit_ai_lines_added * 1.0 / nullif(commit_agg.commit_lines_added, 0) as commit_ai_ratio,
        -- The API's ratio when present, else the ratio rebuilt from the commits.
        coalesce(
            pull_requests.ai_ratio,
            commit_agg.commit_ai_lines_added * 1.0 / nullif(commit_agg.commit_lines_added, 0),
            0
        ) as final_ai_ratio,
        coalesce(review_agg.review_count, 0) as review_count,
        coalesce(review_agg.approval_count, 0) as approval_count,
        coalesce(review_agg.changes_requested_count, 0) as changes_requested_count,
        coalesce(review_agg.review_comment_count, 0) as review_comment_count
    from pull_requests
    left join commit_agg on commit_agg.pr_id = pull_requests.pr_id
    left join review_agg on review_agg.pr_id = pull_requests.pr_id

)

select
    enriched.*,
    bands.band as ai_usage_band,
    bands.sort_order as ai_band_sort_order
from enriched
left join {{ ref('ai_ratio_bands') }} as bands
    on enriched.final_ai_ratio >= bands.min_ratio
    and enriched.final_ai_ratio < bands.max_ratio
