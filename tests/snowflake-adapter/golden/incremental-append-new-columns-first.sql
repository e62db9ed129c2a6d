create or replace transient table ANALYTICS.GOLDEN_INC_APPEND_NEW_COLUMNS.inc as (
    
select id, status from ANALYTICS.GOLDEN_INC_APPEND_NEW_COLUMNS.src
  );
