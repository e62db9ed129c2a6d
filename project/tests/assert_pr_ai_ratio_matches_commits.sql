{{ config(severity = 'warn') }}
-- A PR's ai_ratio should equal the AI share of the lines its commits added
-- (the API rounds it to 4 decimals). Only PRs whose every commit was extracted
-- are compared. A warning, not an error: the API computes the ratio itself.
with links as (

    select
        links.pr_id,
        count(*) as linked_commits,
        sum(commits.ai_lines_added) as ai_lines,
        sum(commits.total_lines_added) as lines
    from {{ ref('stg_pull_request_commits') }} as links
    inner join {{ ref('stg_commits') }} as commits
        on commits.commit_hash = links.commit_hash
    group by links.pr_id

)

select
    pull_requests.pr_id,
    pull_requests.ai_ratio,
    links.ai_lines * 1.0 / links.lines as commit_ai_ratio
from {{ ref('stg_pull_requests') }} as pull_requests
inner join links on links.pr_id = pull_requests.pr_id
where links.linked_commits = pull_requests.commit_count
  and links.lines > 0
  and abs(pull_requests.ai_ratio - links.ai_lines * 1.0 / links.lines) > 0.0005
