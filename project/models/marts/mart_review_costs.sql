-- Weekly review effort per repository: how many reviews, rounds and comments
-- the PRs reviewed that week cost, relative to their size.
with reviews as (

    select * from {{ ref('stg_reviews') }}

),

pull_requests as (

    select pr_id, total_loc from {{ ref('stg_pull_requests') }}

),

-- One row per PR and review week, so PR size is counted once per week.
per_pr as (

    select
        {{ date_trunc_week('reviews.submitted_at') }} as week,
        reviews.repo_name,
        reviews.pr_id,
        count(*) as reviews,
        sum(case when reviews.is_approval then 1 else 0 end) as approvals,
        sum(case when reviews.is_changes_requested then 1 else 0 end) as changes_requested,
        sum(case when reviews.state = 'pending' then 1 else 0 end) as pending,
        sum(reviews.comment_count) as comments,
        max(pull_requests.total_loc) as total_loc
    from reviews
    left join pull_requests on pull_requests.pr_id = reviews.pr_id
    group by 1, 2, 3

),

reviewers as (

    select
        {{ date_trunc_week('submitted_at') }} as week,
        repo_name,
        count(distinct reviewer_email) as active_reviewers
    from reviews
    group by 1, 2

)

select
    per_pr.week,
    per_pr.repo_name,
    count(*) as prs_reviewed,
    max(reviewers.active_reviewers) as active_reviewers,
    sum(per_pr.reviews) as total_reviews,
    sum(per_pr.approvals) as approvals,
    sum(per_pr.changes_requested) as changes_requested,
    sum(per_pr.pending) as pending_reviews,
    sum(per_pr.comments) as review_comments,
    sum(per_pr.approvals) * 1.0 / sum(per_pr.reviews) as approval_rate,
    sum(per_pr.reviews) * 1.0 / count(*) as reviews_per_pr,
    avg(1.0 + per_pr.changes_requested) as avg_iterations,
    sum(per_pr.comments) * 100.0 / nullif(sum(per_pr.total_loc), 0) as comments_per_100_loc
from per_pr
left join reviewers
    on reviewers.week = per_pr.week
    and reviewers.repo_name = per_pr.repo_name
group by 1, 2
