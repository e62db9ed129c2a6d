-- The PR -> commit link, one row per hash in a PR's commit_ids.
with pull_requests as (

    select id, number, repo_name, commit_ids
    from {{ source('raw', 'pull_requests') }}

)

select
    p.id as pr_id,
    p.number as pr_number,
    p.repo_name,
    {{ unnested_value('u') }} as commit_hash
from pull_requests as p
{{ unnest_array('p.commit_ids', 'u') }}
