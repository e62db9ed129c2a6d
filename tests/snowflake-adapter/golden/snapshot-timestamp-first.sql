create or replace transient table ANALYTICS.GOLDEN_SNAP.snap_ts as (
        select src.*,
          md5(coalesce(cast(src.id as varchar), '') || '|' || coalesce(cast(src.updated_at as varchar), '')) as dbt_scd_id,
          cast(src.updated_at as timestamp_ntz) as dbt_updated_at,
          cast(src.updated_at as timestamp_ntz) as dbt_valid_from,
          cast(null as timestamp_ntz) as dbt_valid_to
        from (
          

select * from ANALYTICS.GOLDEN_SNAP.src
        ) src
      )
