create or replace transient table ANALYTICS.GOLDEN_SEED.bands (
        "band" varchar,
        "lo" float,
        "hi" float,
        "since" date
      )

-- ;

begin

-- ;

insert into ANALYTICS.GOLDEN_SEED.bands ("band", "lo", "hi", "since") values
      ('low', 0, 0.3, '2024-01-01'),
      ('it''s', 0.3, null, '2024-02-01')

-- ;

commit
