/**
 * The dbt-core version tsdbt reports (`dbt_version` in templates, artifacts,
 * and `require-dbt-version` checks). Packages pin ranges against it, so it
 * tracks the dbt release whose behaviour tsdbt follows. Lives at the bottom
 * of the layers so both context/ and project/ can read it.
 */
export const DBT_VERSION = '1.10.15';
