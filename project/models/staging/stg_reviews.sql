-- One row per review, with its outcome flags and comment count.
with source as (

    select * from {{ source('raw', 'reviews') }}

)

select
    id as review_id,
    pr_id,
    repo_name,
    pr_number,
    reviewer as reviewer_email,
    lower(state) as state,
    lower(state) = 'approved' as is_approval,
    lower(state) = 'changes_requested' as is_changes_requested,
    coalesce({{ array_length('comments') }}, 0) as comment_count,
    nullif(body, '') as body,
    submitted_at
from source
