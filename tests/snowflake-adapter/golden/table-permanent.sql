create or replace table ANALYTICS.GOLDEN_TABLE.t_permanent as (
    
select * from ANALYTICS.GOLDEN_TABLE.src
  );
