create or replace temporary view ANALYTICS.GOLDEN_INC_APPEND_NEW_COLUMNS.inc__dbt_tmp as (
    
select id, updated_at from ANALYTICS.GOLDEN_INC_APPEND_NEW_COLUMNS.src
  );

-- ;

describe table ANALYTICS.GOLDEN_INC_APPEND_NEW_COLUMNS.inc__dbt_tmp

-- ;

describe table ANALYTICS.GOLDEN_INC_APPEND_NEW_COLUMNS.INC

-- ;

alter table ANALYTICS.GOLDEN_INC_APPEND_NEW_COLUMNS.INC add column "UPDATED_AT" TIMESTAMP_NTZ(9)

-- ;

begin

-- ;

insert into ANALYTICS.GOLDEN_INC_APPEND_NEW_COLUMNS.inc ("ID", "UPDATED_AT")
  (
    select "ID", "UPDATED_AT"
    from ANALYTICS.GOLDEN_INC_APPEND_NEW_COLUMNS.inc__dbt_tmp
  )

-- ;

commit

-- ;

drop view if exists ANALYTICS.GOLDEN_INC_APPEND_NEW_COLUMNS.inc__dbt_tmp
