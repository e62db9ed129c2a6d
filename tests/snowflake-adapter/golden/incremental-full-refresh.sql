create or replace transient table ANALYTICS.GOLDEN_INC_FULL.inc as (
    
select * from ANALYTICS.GOLDEN_INC_FULL.src
  );
