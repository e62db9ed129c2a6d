create or replace transient table ANALYTICS.GOLDEN_INC_MERGE.inc as (
    
select id, status from ANALYTICS.GOLDEN_INC_MERGE.src
  );
