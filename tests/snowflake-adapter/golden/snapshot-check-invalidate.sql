describe table ANALYTICS.GOLDEN_SNAP.SNAP_CHECK

-- ;

create or replace temporary table ANALYTICS.GOLDEN_SNAP.snap_check__dbt_tmp as (
        with src as (
          select * from (
            

select * from ANALYTICS.GOLDEN_SNAP.src
          )
        ),
        cur as (
          select * from ANALYTICS.GOLDEN_SNAP.snap_check where dbt_valid_to is null
        ),
        insertions as (
          select src.*, 'insert' as dbt_change_type,
            md5(coalesce(cast(src.id as varchar), '') || '|' || coalesce(cast(convert_timezone('UTC', current_timestamp())::timestamp_ntz as varchar), '')) as dbt_scd_id,
            cast(convert_timezone('UTC', current_timestamp())::timestamp_ntz as timestamp_ntz) as dbt_updated_at,
            cast(convert_timezone('UTC', current_timestamp())::timestamp_ntz as timestamp_ntz) as dbt_valid_from,
            cast(null as timestamp_ntz) as dbt_valid_to
          from src left join cur on src.id = cur.id
          where cur.dbt_scd_id is null or (src.status is distinct from cur.status)
        ),
        updates as (
          select src.*, 'update' as dbt_change_type, cur.dbt_scd_id,
            cast(convert_timezone('UTC', current_timestamp())::timestamp_ntz as timestamp_ntz) as dbt_updated_at,
            cur.dbt_valid_from,
            cast(convert_timezone('UTC', current_timestamp())::timestamp_ntz as timestamp_ntz) as dbt_valid_to
          from src join cur on src.id = cur.id
          where (src.status is distinct from cur.status)
        ),
        deletes as (
          select src.*, 'delete' as dbt_change_type, cur.dbt_scd_id,
            convert_timezone('UTC', current_timestamp())::timestamp_ntz as dbt_updated_at,
            cur.dbt_valid_from,
            convert_timezone('UTC', current_timestamp())::timestamp_ntz as dbt_valid_to
          from cur left join src on src.id = cur.id
          where src.id is null
        )
        select * from insertions
        union all
        select * from updates
        union all
        select * from deletes
      )

-- ;

begin

-- ;

merge into ANALYTICS.GOLDEN_SNAP.snap_check as DBT_INTERNAL_DEST
      using ANALYTICS.GOLDEN_SNAP.snap_check__dbt_tmp as DBT_INTERNAL_SOURCE
      on DBT_INTERNAL_SOURCE.dbt_scd_id = DBT_INTERNAL_DEST.dbt_scd_id
      when matched
        and DBT_INTERNAL_DEST.dbt_valid_to is null
        and DBT_INTERNAL_SOURCE.dbt_change_type in ('update', 'delete')
        then update set dbt_valid_to = DBT_INTERNAL_SOURCE.dbt_valid_to
      when not matched
        and DBT_INTERNAL_SOURCE.dbt_change_type = 'insert'
        then insert ("ID", "STATUS", "UPDATED_AT", dbt_scd_id, dbt_updated_at, dbt_valid_from, dbt_valid_to)
        values (DBT_INTERNAL_SOURCE."ID", DBT_INTERNAL_SOURCE."STATUS", DBT_INTERNAL_SOURCE."UPDATED_AT", DBT_INTERNAL_SOURCE.dbt_scd_id, DBT_INTERNAL_SOURCE.dbt_updated_at, DBT_INTERNAL_SOURCE.dbt_valid_from, DBT_INTERNAL_SOURCE.dbt_valid_to)

-- ;

commit

-- ;

drop table if exists ANALYTICS.GOLDEN_SNAP.snap_check__dbt_tmp
