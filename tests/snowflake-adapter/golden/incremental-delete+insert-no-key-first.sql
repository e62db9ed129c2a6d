create or replace transient table ANALYTICS.GOLDEN_INC_DELETE_INSERT_NO_KEY.inc as (
    
select id, status from ANALYTICS.GOLDEN_INC_DELETE_INSERT_NO_KEY.src
  );
