-- mart_velocity's grain is (week, repo_name).
select week, repo_name, count(*) as row_count
from {{ ref('mart_velocity') }}
group by week, repo_name
having count(*) > 1
