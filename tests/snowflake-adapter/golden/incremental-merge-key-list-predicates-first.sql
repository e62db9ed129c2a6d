create or replace transient table ANALYTICS.GOLDEN_INC_MERGE_KEY_LIST_PREDICATES.inc as (
    
select id, status from ANALYTICS.GOLDEN_INC_MERGE_KEY_LIST_PREDICATES.src
  );
