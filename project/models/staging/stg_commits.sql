-- One row per commit, with the AI share of the added lines.
with source as (

    select * from {{ source('raw', 'commits') }}

)

select
    commit_hash,
    user_id,
    nullif(user_email, '') as user_email,
    user_name,
    repo_name,
    branch_name,
    is_primary_branch,
    total_lines_added,
    total_lines_deleted,
    tab_lines_added,
    tab_lines_deleted,
    composer_lines_added,
    composer_lines_deleted,
    non_ai_lines_added,
    non_ai_lines_deleted,
    tab_lines_added + composer_lines_added as ai_lines_added,
    tab_lines_deleted + composer_lines_deleted as ai_lines_deleted,
    case
        when total_lines_added > 0
            then (tab_lines_added + composer_lines_added) * 1.0 / total_lines_added
    end as ai_share,
    message,
    commit_ts as committed_at,
    created_at as recorded_at
from source
