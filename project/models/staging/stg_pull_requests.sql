-- One row per pull request with its cycle-time components in hours.
-- cursor-sim often omits first_commit_at / last_commit_at / first_review_at,
-- so each is taken from the API when present and otherwise derived from the
-- PR's commits (through commit_ids) and its reviews.
--
-- A PR is often opened before its first commit (a draft opened first, the code
-- pushed up to an hour later), so the phases are measured from two derived
-- instants rather than from first commit -> PR open (see project/README.md):
--   work_started_at = the earlier of first commit and PR open
--   ready_at        = the later of the two: the PR is open and holds code
-- coding = work_started_at -> ready_at, pickup = ready_at -> first review,
-- review = first review -> merge, cycle = work_started_at -> merge.
with source as (

    select * from {{ source('raw', 'pull_requests') }}

),

commit_times as (

    select
        links.pr_id,
        min(commits.commit_ts) as first_commit_at,
        max(commits.commit_ts) as last_commit_at
    from {{ ref('stg_pull_request_commits') }} as links
    inner join {{ source('raw', 'commits') }} as commits
        on commits.commit_hash = links.commit_hash
    group by links.pr_id

),

review_times as (

    select
        pr_id,
        min(submitted_at) as first_review_at
    from {{ source('raw', 'reviews') }}
    group by pr_id

),

resolved as (

    select
        source.*,
        coalesce(source.first_commit_at, commit_times.first_commit_at) as resolved_first_commit_at,
        coalesce(source.last_commit_at, commit_times.last_commit_at) as resolved_last_commit_at,
        coalesce(source.first_review_at, review_times.first_review_at) as resolved_first_review_at
    from source
    left join commit_times on commit_times.pr_id = source.id
    left join review_times on review_times.pr_id = source.id

),

phased as (

    select
        resolved.*,
        -- coalesce first: Snowflake's least/greatest are NULL when any argument is.
        least(created_at, coalesce(resolved_first_commit_at, created_at)) as work_started_at,
        greatest(created_at, coalesce(resolved_first_commit_at, created_at)) as ready_at
    from resolved

)

select
    id as pr_id,
    number as pr_number,
    repo_name,
    title,
    lower(state) as state,
    nullif(author_id, '') as author_id,
    nullif(author_email, '') as author_email,
    nullif(author_name, '') as author_name,
    base_branch,
    head_branch,
    labels,
    reviewers,
    commit_ids,
    additions,
    deletions,
    additions + deletions as total_loc,
    initial_additions,
    changed_files,
    commit_count,
    tab_lines,
    composer_lines,
    ai_ratio,
    was_reverted as is_reverted,
    is_bug_fix,
    merged_at is not null as is_merged,
    coalesce({{ array_length('reviewers') }}, 0) as reviewer_count,
    created_at,
    updated_at,
    merged_at,
    closed_at,
    resolved_first_commit_at as first_commit_at,
    resolved_last_commit_at as last_commit_at,
    resolved_first_review_at as first_review_at,
    resolved_first_commit_at is not null and created_at < resolved_first_commit_at as is_opened_before_first_commit,
    work_started_at,
    ready_at,
    {{ hours_between('work_started_at', 'ready_at') }} as coding_lead_time_hours,
    {{ hours_between('ready_at', 'resolved_first_review_at') }} as pickup_time_hours,
    {{ hours_between('resolved_first_review_at', 'merged_at') }} as review_lead_time_hours,
    {{ hours_between('work_started_at', 'merged_at') }} as cycle_time_hours
from phased
