create or replace temporary view ANALYTICS.GOLDEN_INC_APPEND.inc__dbt_tmp as (
    
select id, status from ANALYTICS.GOLDEN_INC_APPEND.src
  );

-- ;

describe table ANALYTICS.GOLDEN_INC_APPEND.INC

-- ;

begin

-- ;

insert into ANALYTICS.GOLDEN_INC_APPEND.inc ("ID", "STATUS")
  (
    select "ID", "STATUS"
    from ANALYTICS.GOLDEN_INC_APPEND.inc__dbt_tmp
  )

-- ;

commit

-- ;

drop view if exists ANALYTICS.GOLDEN_INC_APPEND.inc__dbt_tmp
