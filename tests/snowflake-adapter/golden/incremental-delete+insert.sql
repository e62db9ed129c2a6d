create or replace temporary table ANALYTICS.GOLDEN_INC_DELETE_INSERT.inc__dbt_tmp as (
    
select id, status from ANALYTICS.GOLDEN_INC_DELETE_INSERT.src
  );

-- ;

describe table ANALYTICS.GOLDEN_INC_DELETE_INSERT.INC

-- ;

begin

-- ;

delete from ANALYTICS.GOLDEN_INC_DELETE_INSERT.inc as DBT_INTERNAL_DEST
  where (id) in (
    select distinct id
    from ANALYTICS.GOLDEN_INC_DELETE_INSERT.inc__dbt_tmp as DBT_INTERNAL_SOURCE
  );
  insert into ANALYTICS.GOLDEN_INC_DELETE_INSERT.inc ("ID", "STATUS")
  (
    select "ID", "STATUS"
    from ANALYTICS.GOLDEN_INC_DELETE_INSERT.inc__dbt_tmp
  )

-- ;

commit

-- ;

drop table if exists ANALYTICS.GOLDEN_INC_DELETE_INSERT.inc__dbt_tmp
