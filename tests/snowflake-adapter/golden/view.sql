show parameters like 'query_tag' in session

-- ;

alter session set query_tag = 'nightly'

-- ;

create or replace view ANALYTICS.GOLDEN_VIEW.v copy grants as (
    
select 1 as id
  );

-- ;

show grants on view ANALYTICS.GOLDEN_VIEW.v

-- ;

grant select on view ANALYTICS.GOLDEN_VIEW.v to role REPORTER

-- ;

grant select on view ANALYTICS.GOLDEN_VIEW.v to role ANALYST

-- ;

alter session unset query_tag
