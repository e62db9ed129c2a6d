create or replace temporary view ANALYTICS.GOLDEN_INC_MERGE_NO_KEY.inc__dbt_tmp as (
    
select id, status from ANALYTICS.GOLDEN_INC_MERGE_NO_KEY.src
  );

-- ;

describe table ANALYTICS.GOLDEN_INC_MERGE_NO_KEY.INC

-- ;

begin

-- ;

merge into ANALYTICS.GOLDEN_INC_MERGE_NO_KEY.inc as DBT_INTERNAL_DEST
  using ANALYTICS.GOLDEN_INC_MERGE_NO_KEY.inc__dbt_tmp as DBT_INTERNAL_SOURCE
  on false
  when not matched then insert
    ("ID", "STATUS")
  values
    (DBT_INTERNAL_SOURCE."ID", DBT_INTERNAL_SOURCE."STATUS")

-- ;

commit

-- ;

drop view if exists ANALYTICS.GOLDEN_INC_MERGE_NO_KEY.inc__dbt_tmp
