create or replace transient table ANALYTICS.GOLDEN_TABLE.t as (
    
select * from ANALYTICS.GOLDEN_TABLE.src
  );
