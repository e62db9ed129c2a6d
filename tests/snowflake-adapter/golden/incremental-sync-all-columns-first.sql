create or replace transient table ANALYTICS.GOLDEN_INC_SYNC_ALL_COLUMNS.inc as (
    
select id, status from ANALYTICS.GOLDEN_INC_SYNC_ALL_COLUMNS.src
  );
