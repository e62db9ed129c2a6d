-- How much faster (or slower) do high-AI PRs move than low-AI ones?
-- Median cycle time and revert rate per AI-usage band over the whole history,
-- compared with the low band. Compile with `tsdbt compile` and run by hand.
with merged as (

    select
        pr.pr_id,
        pr.cycle_time_hours,
        pr.is_reverted,
        bands.band,
        bands.sort_order
    from {{ ref('stg_pull_requests') }} as pr
    inner join {{ ref('ai_ratio_bands') }} as bands
        on pr.ai_ratio >= bands.min_ratio
        and pr.ai_ratio < bands.max_ratio
    where pr.merged_at is not null

),

by_band as (

    select
        band,
        sort_order,
        count(*) as merged_prs,
        {{ percentile_cont(0.5, 'cycle_time_hours') }} as median_cycle_time_hours,
        avg(case when is_reverted then 1.0 else 0.0 end) as revert_rate
    from merged
    group by band, sort_order

)

select
    by_band.band,
    by_band.merged_prs,
    by_band.median_cycle_time_hours,
    by_band.median_cycle_time_hours - low.median_cycle_time_hours as median_vs_low_hours,
    by_band.revert_rate,
    by_band.revert_rate - low.revert_rate as revert_rate_vs_low
from by_band
cross join (select * from by_band where band = 'low') as low
order by by_band.sort_order
