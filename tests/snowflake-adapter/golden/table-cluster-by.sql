create or replace transient table ANALYTICS.GOLDEN_TABLE.t_clustered as (
    select * from (
      
select * from ANALYTICS.GOLDEN_TABLE.src
    ) order by (status, id)
  );
  alter table ANALYTICS.GOLDEN_TABLE.t_clustered cluster by (status, id);
  alter table ANALYTICS.GOLDEN_TABLE.t_clustered resume recluster;
