create or replace transient table ANALYTICS.GOLDEN_INC_APPEND.inc as (
    
select id, status from ANALYTICS.GOLDEN_INC_APPEND.src
  );
