-- A week's median cycle time can never exceed its 90th percentile.
select week, repo_name, p50_cycle_time, p90_cycle_time
from {{ ref('mart_velocity') }}
where p50_cycle_time > p90_cycle_time
