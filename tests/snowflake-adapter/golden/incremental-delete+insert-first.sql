create or replace transient table ANALYTICS.GOLDEN_INC_DELETE_INSERT.inc as (
    
select id, status from ANALYTICS.GOLDEN_INC_DELETE_INSERT.src
  );
