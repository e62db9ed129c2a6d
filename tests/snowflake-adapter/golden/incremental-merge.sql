create or replace temporary view ANALYTICS.GOLDEN_INC_MERGE.inc__dbt_tmp as (
    
select id, status from ANALYTICS.GOLDEN_INC_MERGE.src
  );

-- ;

describe table ANALYTICS.GOLDEN_INC_MERGE.INC

-- ;

begin

-- ;

merge into ANALYTICS.GOLDEN_INC_MERGE.inc as DBT_INTERNAL_DEST
  using ANALYTICS.GOLDEN_INC_MERGE.inc__dbt_tmp as DBT_INTERNAL_SOURCE
  on ((DBT_INTERNAL_SOURCE.id = DBT_INTERNAL_DEST.id))
  when matched then update set
    "ID" = DBT_INTERNAL_SOURCE."ID", "STATUS" = DBT_INTERNAL_SOURCE."STATUS"
  when not matched then insert ("ID", "STATUS")
  values ("ID", "STATUS")

-- ;

commit

-- ;

drop view if exists ANALYTICS.GOLDEN_INC_MERGE.inc__dbt_tmp
