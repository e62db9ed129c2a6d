create or replace temporary view ANALYTICS.GOLDEN_INC_MERGE_KEY_LIST_PREDICATES.inc__dbt_tmp as (
    
select id, status from ANALYTICS.GOLDEN_INC_MERGE_KEY_LIST_PREDICATES.src
  );

-- ;

describe table ANALYTICS.GOLDEN_INC_MERGE_KEY_LIST_PREDICATES.INC

-- ;

begin

-- ;

merge into ANALYTICS.GOLDEN_INC_MERGE_KEY_LIST_PREDICATES.inc as DBT_INTERNAL_DEST
  using ANALYTICS.GOLDEN_INC_MERGE_KEY_LIST_PREDICATES.inc__dbt_tmp as DBT_INTERNAL_SOURCE
  on (DBT_INTERNAL_DEST.id > 0) and (DBT_INTERNAL_SOURCE.id = DBT_INTERNAL_DEST.id) and (DBT_INTERNAL_SOURCE.status = DBT_INTERNAL_DEST.status)
  when matched then update set
    "ID" = DBT_INTERNAL_SOURCE."ID", "STATUS" = DBT_INTERNAL_SOURCE."STATUS"
  when not matched then insert ("ID", "STATUS")
  values ("ID", "STATUS")

-- ;

commit

-- ;

drop view if exists ANALYTICS.GOLDEN_INC_MERGE_KEY_LIST_PREDICATES.inc__dbt_tmp
