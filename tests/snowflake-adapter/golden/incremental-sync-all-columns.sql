create or replace temporary view ANALYTICS.GOLDEN_INC_SYNC_ALL_COLUMNS.inc__dbt_tmp as (
    
select id, updated_at from ANALYTICS.GOLDEN_INC_SYNC_ALL_COLUMNS.src
  );

-- ;

describe table ANALYTICS.GOLDEN_INC_SYNC_ALL_COLUMNS.inc__dbt_tmp

-- ;

describe table ANALYTICS.GOLDEN_INC_SYNC_ALL_COLUMNS.INC

-- ;

alter table ANALYTICS.GOLDEN_INC_SYNC_ALL_COLUMNS.INC add column "UPDATED_AT" TIMESTAMP_NTZ(9)

-- ;

alter table ANALYTICS.GOLDEN_INC_SYNC_ALL_COLUMNS.INC drop column "STATUS"

-- ;

begin

-- ;

merge into ANALYTICS.GOLDEN_INC_SYNC_ALL_COLUMNS.inc as DBT_INTERNAL_DEST
  using ANALYTICS.GOLDEN_INC_SYNC_ALL_COLUMNS.inc__dbt_tmp as DBT_INTERNAL_SOURCE
  on ((DBT_INTERNAL_SOURCE.id = DBT_INTERNAL_DEST.id))
  when matched then update set
    "ID" = DBT_INTERNAL_SOURCE."ID", "UPDATED_AT" = DBT_INTERNAL_SOURCE."UPDATED_AT"
  when not matched then insert ("ID", "UPDATED_AT")
  values ("ID", "UPDATED_AT")

-- ;

commit

-- ;

drop view if exists ANALYTICS.GOLDEN_INC_SYNC_ALL_COLUMNS.inc__dbt_tmp
