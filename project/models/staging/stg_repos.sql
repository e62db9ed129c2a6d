-- One row per repository that has pull requests.
with source as (

    select * from {{ source('raw', 'repos') }}

)

select
    full_name as repo_name,
    split_part(full_name, '/', 1) as repo_owner,
    split_part(full_name, '/', 2) as repo_short_name,
    default_branch,
    open_pull_requests_count,
    total_pull_requests_count
from source
