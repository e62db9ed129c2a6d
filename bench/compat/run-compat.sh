#!/usr/bin/env bash
# Runs public dbt packages' own integration-test projects under tsdbt on DuckDB
# and prints each project's PASS/ERROR/SKIP line and its failing nodes.
# Nothing is downloaded here: point the variables at checkouts you made.
#
#   DBT_UTILS_DIR  a checkout of github.com/dbt-labs/dbt-utils   (default /work/ext/dbt-utils)
#   DBT_DATE_DIR   a checkout of github.com/godatadriven/dbt-date (default /work/ext/dbt-date)
#   DPE_DIR        a checkout of github.com/dbt-labs/dbt-project-evaluator (default /work/ext/dbt-project-evaluator)
#   DBT_EXP_DIR    a checkout of github.com/calogica/dbt-expectations (default /work/ext/dbt-expectations)
#   AUDIT_HELPER_DIR a checkout of github.com/dbt-labs/dbt-audit-helper (default /work/ext/dbt-audit-helper, 3bd0ca4)
#   CODEGEN_DIR    a checkout of github.com/dbt-labs/dbt-codegen (default /work/ext/dbt-codegen, 0.13.1)
#   DUT_DIR        a checkout of github.com/EqualExperts/dbt-unit-testing (default /work/ext/dbt-unit-testing, fbfd896)
#   EXT_DIR        where the checkouts below live (default /work/ext):
#                  jaffle_shop (b0b77aa), jaffle_shop_duckdb (9b13827), jaffle-shop (7be2c58) (clones of
#                  dbt-labs' repositories, see README.md), dbt-external-tables (c33165e, 0.12.2),
#                  dbt-snowflake-monitoring (ff52462, 5.6.1) with dbt-query-tags (3a53941, 3.2.0),
#                  tuva (v0.18.0), dbt_shopify (v1.8.0), dbt_jira (v1.1.0), dbt_artifacts (2.10.1),
#                  dbt_zendesk (v1.7.0), dbt_stripe (v1.10.1),
#                  dbt_hubspot (v1.7.2, 38114c7; not in /work/ext: clone it there, see README.md),
#                  Fivetran's dbt_github (v1.1.0), dbt_salesforce (v2.1.0), dbt_quickbooks (v1.6.3),
#                  dbt_asana (v1.3.0), dbt_netsuite (v1.6.1), dbt_klaviyo (v1.3.1), dbt_xero (v1.3.0),
#                  dbt_recharge (v1.4.1), dbt_mailchimp (v1.2.0), dbt_pendo (v1.3.1), dbt_intercom (v1.6.1),
#                  dbt_greenhouse (v1.3.0), dbt_twilio (v1.3.0), dbt_iterable (v1.4.1), dbt_amplitude (v1.3.3),
#                  dbt_marketo (v1.3.0), and (added 2026-12-07) dbt_fivetran_log (v2.5.2), dbt_zuora (v1.3.0),
#                  dbt_recurly (v1.5.0), dbt_mixpanel (v0.17.1), dbt_servicenow (v1.0.0), dbt_sage_intacct (v1.4.1),
#                  dbt_lever (v1.2.0), dbt_facebook_ads (v1.4.2), dbt_sap (v0.8.1), dbt_workday (v1.0.1),
#                  dbt_apple_store (v1.3.3), dbt_google_ads (v1.2.0), dbt_qualtrics (v1.3.0), dbt_amazon_ads (v1.2.0)
#                  and thirteen more Fivetran packages at their newest tags (README.md),
#                  (clones of the mirrors at those tags, see README.md),
#                  dbt-snowplow-web (1.0.1) with dbt-snowplow-utils (0.15.2) (`git archive` of the mirrors' tags),
#                  cal-itp-data-infra (f20856f, `git archive HEAD warehouse`),
#                  balboa (datacoves/balboa a19cafa, `git archive HEAD transform`) with dbt-snow-mask (fc59b0c: the
#                  mirror has no 0.2.8 tag) and dbt-external-tables,
#                  dbt-re-data (c93f125, `git archive HEAD`), segment (dbt-labs/segment 195d680),
#                  dbt-activity-schema-tnightengale (a567600), dbt-activity-schema-bcodell (abe0d83), dbt-utils-1.0.0
#                  (tag 1.0.0, the version both pin), dbt_constraints (Snowflake-Labs/dbt_constraints 205b5cf),
#                  dbt-profiler (data-mie/dbt-profiler 1cc8792),
#                  datavault4dbt-snowflake-demo (07ee600) with datavault4dbt-1.18.3 (tag v1.18.3),
#                  mattermost-data-warehouse (61af242, with dbt-codegen 0.13.1, dbt-utils-1.3.0,
#                  dbt-project-evaluator-0.14.3, dbt-snowflake-query-tags 2.6.0),
#                  dbt-data-reliability (tuva-health's fork of elementary, 382c570c: the project `elementary`
#                  runs its integration_tests/dbt_project), elementary-0.25.1 (elementary-data/dbt-data-reliability
#                  at tag 0.25.1, `git archive`: the project `elementary-0.25.1`),
#                  and the packages they install: dbt-utils, dbt-date, metaplane-dbt-expectations,
#                  fivetran_utils, spark_utils
#   FIVETRAN_UTILS the fivetran_utils checkout in EXT_DIR the Fivetran packages install (default fivetran_utils-new
#                  when it is there, else fivetran_utils): the Fivetran packages of 2026 call macros that v0.4.10
#                  lacks; fivetran_utils-new is made from v0.4.10 and a manifest of dbt_apple_store v1.3.3 by
#                  package-from-manifest.mjs (README.md)
#   ONLY           space-separated project names to run (default: all), e.g. ONLY="tuva dbt_jira"
#   SNOWFLAKE_DOUBLE_PORT  a Snowflake double on 127.0.0.1 (tests/support/snowflake-double):
#                  mattermost also compiles against it (user tester / password secret)
#   TSDBT          the CLI to run (default: node <repo>/bin/tsdbt.js; run `npm run build` first)
set -u
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
TSDBT="${TSDBT:-node $repo/bin/tsdbt.js}"
DBT_UTILS_DIR="${DBT_UTILS_DIR:-/work/ext/dbt-utils}"
DBT_DATE_DIR="${DBT_DATE_DIR:-/work/ext/dbt-date}"
DPE_DIR="${DPE_DIR:-/work/ext/dbt-project-evaluator}"
DBT_EXP_DIR="${DBT_EXP_DIR:-/work/ext/dbt-expectations}"
AUDIT_HELPER_DIR="${AUDIT_HELPER_DIR:-/work/ext/dbt-audit-helper}"
CODEGEN_DIR="${CODEGEN_DIR:-/work/ext/dbt-codegen}"
DUT_DIR="${DUT_DIR:-/work/ext/dbt-unit-testing}"
EXT_DIR="${EXT_DIR:-/work/ext}"
if [ -z "${FIVETRAN_UTILS:-}" ] && [ -d "$EXT_DIR/fivetran_utils-new" ]; then FIVETRAN_UTILS=fivetran_utils-new; fi
export FIVETRAN_UTILS="${FIVETRAN_UTILS:-fivetran_utils}"
logs="$(mktemp -d "${TMPDIR:-/tmp}/tsdbt-compat-XXXXXX")"

want() { [ -z "${ONLY:-}" ] || [[ " $ONLY " == *" $1 "* ]]; }

# The log without the console's `HH:MM:SS  ` prefix.
untimed() { sed -E 's/^[0-9]{2}:[0-9]{2}:[0-9]{2}  //' "$1"; }

summarize() { # name log
  echo "== $1: $(untimed "$2" | grep -E '^Done\.' | tail -1)"
  untimed "$2" | grep -E '^ *([A-Za-z]+ )?(Error|Failure) in ' | sed -E 's/^ */   /'
  untimed "$2" | grep -E '^ {0,2}\[[A-Z_]+\]' | head -5 | sed -E 's/^ */   parse: /'
  echo "   full log: $2"
}

# Every project is copied to the log folder and run there (the checkouts stay
# untouched); hub and git packages install from copies of local checkouts.
# stage <name> [checkout]: copies the checkout (default $EXT_DIR/<name>) to
# $logs/<name> and rewrites its packages.yml files (offline-packages.mjs).
stage() {
  rm -rf "$logs/$1"
  cp -r "${2:-$EXT_DIR/$1}" "$logs/$1" && rm -rf "$logs/$1"/*/dbt_packages "$logs/$1"/dbt_packages "$logs/$1"/*/*.duckdb "$logs/$1"/*/*.db
  node "$here/offline-packages.mjs" "$logs/$1" "$logs/$1-packages" "$EXT_DIR" > /dev/null
}
duckdb_profile() { # dir profile schema [threads]
  mkdir -p "$1"
  printf '%s:\n  target: duckdb\n  outputs:\n    duckdb:\n      type: duckdb\n      path: %s/db.duckdb\n      schema: %s\n      threads: %s\n' "$2" "$1" "$3" "${4:-4}" > "$1/profiles.yml"
}
# A type: snowflake profile (user tester, password secret), at the Snowflake double when SNOWFLAKE_DOUBLE_PORT is set.
snowflake_profile() { # dir profile schema
  mkdir -p "$1"
  printf '%s:\n  target: prod\n  outputs:\n    prod:\n      type: snowflake\n      threads: 4\n      account: test_account\n      user: tester\n      password: secret\n      database: ANALYTICS\n      role: TRANSFORMER\n      warehouse: TRANSFORM_XS\n      schema: %s\n' "$2" "$3" > "$1/profiles.yml"
  if [ -n "${SNOWFLAKE_DOUBLE_PORT:-}" ]; then printf '      protocol: http\n      host: 127.0.0.1\n      port: %s\n      connect_retries: 0\n' "$SNOWFLAKE_DOUBLE_PORT" >> "$1/profiles.yml"; fi
}
# deps, parse and ls of a project that cannot run here; then `tsdbt <step>` against the double when there is one.
parse_ls() { # name project-dir profiles-dir [double step, e.g. compile or seed]
  (cd "$2" && $TSDBT deps --profiles-dir "$3" && $TSDBT parse --profiles-dir "$3" && echo "ls: $($TSDBT ls --profiles-dir "$3" | wc -l) resources" \
    && if [ -n "${SNOWFLAKE_DOUBLE_PORT:-}" ] && [ -n "${4:-}" ]; then $TSDBT "$4" --profiles-dir "$3"; fi) > "$logs/$1.log" 2>&1
  echo "== $1: $(untimed "$logs/$1.log" | grep -E '^Found ' | head -1) | $(grep -E '^ls: ' "$logs/$1.log")${4:+ | $4: $(untimed "$logs/$1.log" | grep -E '^Compiled [0-9]|^Encountered|^Done\.' | tail -1)}"
  untimed "$logs/$1.log" | grep -E '^ *([A-Za-z]+ )?(Error|Failure) in |^\[[A-Z_]+\]' | grep -v '^\[WARNING\]' | head -10 | sed 's/^ */   /'
  echo "   full log: $logs/$1.log"
}

# A multi-step run's summary: each `Done.` line (WARN and NO-OP left out, or NO-OP only when $3 is set), $2 after
# them when given, then its errors and where its log is.
steps() { # name [more text] [keep WARN]
  local log="$logs/$1.log" strip='s/ (WARN|NO-OP)=[0-9]+//g'
  [ -n "${3:-}" ] && strip='s/ NO-OP=[0-9]+//g'
  echo "== $1: $(untimed "$log" | grep -E '^Done\.' | sed -E "$strip" | tr '\n' '|' | sed 's/|$//')${2:+ | $2}"
  untimed "$log" | grep -E '^ *([A-Za-z]+ )?(Error|Failure) in |^\[[A-Z_]+\]' | grep -v '^\[WARNING\]' | head -10 | sed 's/^ */   /'
  echo "   full log: $log"
}

if want dbt-utils && [ -d "$DBT_UTILS_DIR/integration_tests" ]; then
  # dbt-utils has no DuckDB target: a file database beside the written profile.
  stage dbt-utils "$DBT_UTILS_DIR" && prof="$logs/dbt-utils-profiles" && duckdb_profile "$prof" integration_tests main 1
  (cd "$logs/dbt-utils/integration_tests" && $TSDBT deps --profiles-dir "$prof" && $TSDBT build --profiles-dir "$prof") > "$logs/dbt-utils.log" 2>&1
  summarize dbt-utils "$logs/dbt-utils.log"
fi

if want dbt-date && [ -d "$DBT_DATE_DIR/integration_tests" ]; then
  # dbt-date's own profiles.yml targets DuckDB (./db.duckdb in integration_tests).
  stage dbt-date "$DBT_DATE_DIR"
  (cd "$logs/dbt-date/integration_tests" && $TSDBT deps --profiles-dir . && $TSDBT build --profiles-dir .) > "$logs/dbt-date.log" 2>&1
  summarize dbt-date "$logs/dbt-date.log"
fi

if want dbt-project-evaluator && [ -d "$DPE_DIR/integration_tests" ]; then
  # Its profiles have a duckdb target (./duck.db). Its CI runs `build
  # --full-refresh` in integration_tests/, then `seed` and `run` in
  # integration_tests_2/; so does the script.
  stage dbt-project-evaluator "$DPE_DIR" && prof="$logs/dbt-project-evaluator/integration_tests"
  (cd "$prof" && $TSDBT deps --profiles-dir "$prof" --target duckdb && $TSDBT build --profiles-dir "$prof" --target duckdb --full-refresh) > "$logs/dbt-project-evaluator.log" 2>&1
  summarize dbt-project-evaluator "$logs/dbt-project-evaluator.log"
  (cd "$logs/dbt-project-evaluator/integration_tests_2" && $TSDBT deps --profiles-dir "$prof" --target duckdb \
    && $TSDBT seed --profiles-dir "$prof" --target duckdb --full-refresh && $TSDBT run --profiles-dir "$prof" --target duckdb --full-refresh) > "$logs/dbt-project-evaluator-2.log" 2>&1
  summarize dbt-project-evaluator/integration_tests_2 "$logs/dbt-project-evaluator-2.log"
fi

if want dbt-audit-helper && [ -d "$AUDIT_HELPER_DIR/integration_tests" ]; then
  # Postgres, Redshift, BigQuery and Snowflake targets in its profiles: run on DuckDB with a written profile.
  stage dbt-audit-helper "$AUDIT_HELPER_DIR" && prof="$logs/dbt-audit-helper-profiles" && duckdb_profile "$prof" integration_tests main 1
  (cd "$logs/dbt-audit-helper/integration_tests" && $TSDBT deps --profiles-dir "$prof" && $TSDBT seed --profiles-dir "$prof" && $TSDBT build --profiles-dir "$prof") > "$logs/dbt-audit-helper.log" 2>&1
  summarize dbt-audit-helper "$logs/dbt-audit-helper.log"
fi

if want dbt-codegen && [ -d "$CODEGEN_DIR/integration_tests" ]; then
  # Its run_test.sh: deps, run-operation create_source_table (the source its
  # generate_source tests read), seed --full-refresh, run, test; all with
  # --warn-error. Postgres, Redshift, BigQuery and Snowflake targets: run on DuckDB.
  stage dbt-codegen "$CODEGEN_DIR" && prof="$logs/dbt-codegen-profiles" && duckdb_profile "$prof" integration_tests main 1
  (cd "$logs/dbt-codegen/integration_tests" && $TSDBT --warn-error deps --profiles-dir "$prof" \
    && $TSDBT --warn-error run-operation create_source_table --profiles-dir "$prof" \
    && $TSDBT --warn-error seed --full-refresh --profiles-dir "$prof" && $TSDBT --warn-error run --profiles-dir "$prof" \
    && $TSDBT --warn-error test --profiles-dir "$prof") > "$logs/dbt-codegen.log" 2>&1
  summarize dbt-codegen "$logs/dbt-codegen.log"
fi

if want dbt-unit-testing && [ -d "$DUT_DIR/integration-tests" ]; then
  # The steps of its run-integration-tests.sh for the postgres tag (the closest
  # SQL to DuckDB's), with its CI schema: deps, run-operation macro_with_ref,
  # build, seed real_seeds, test, the tests tagged for dbt 1.5.4 and later,
  # seed existing_sources, run tag:add-to-database, the db-dependency tests.
  stage dbt-unit-testing "$DUT_DIR" && prof="$logs/dbt-unit-testing-profiles" && duckdb_profile "$prof" integration_tests dbt_unit_testing 1
  sed -i 's/^  target: duckdb/  target: postgres/; s/^    duckdb:/    postgres:/' "$prof/profiles.yml"
  ut="tag:unit-test,tag:postgres"
  (cd "$logs/dbt-unit-testing/integration-tests" && $TSDBT deps --profiles-dir "$prof" \
    && $TSDBT run-operation macro_with_ref --profiles-dir "$prof" \
    && $TSDBT build --profiles-dir "$prof" --select "$ut" --exclude tag:versioned tag:db-dependency \
    && $TSDBT seed --profiles-dir "$prof" --select seeds/real_seeds \
    && $TSDBT test --profiles-dir "$prof" --select "$ut" --exclude tag:versioned tag:db-dependency \
    ; $TSDBT test --profiles-dir "$prof" --select "$ut,tag:1.5.4" --exclude tag:db-dependency \
    ; $TSDBT seed --profiles-dir "$prof" --select seeds/existing_sources \
    && $TSDBT run --profiles-dir "$prof" --select tag:add-to-database \
    && $TSDBT test --profiles-dir "$prof" --select "$ut,tag:db-dependency") > "$logs/dbt-unit-testing.log" 2>&1
  echo "== dbt-unit-testing: $(untimed "$logs/dbt-unit-testing.log" | grep -E '^Done\.' | sed -E 's/ WARN=0//; s/ NO-OP=0//' | tr '\n' ';')"
  untimed "$logs/dbt-unit-testing.log" | grep -E '^ *([A-Za-z]+ )?(Error|Failure) in |^  \[[A-Z_]+\]' | head -10 | sed -E 's/^ */   /'
  echo "   full log: $logs/dbt-unit-testing.log"
fi

if want dbt-expectations && [ -d "$DBT_EXP_DIR/integration_tests" ]; then
  # Postgres-only in its CI; run on DuckDB with a written profile.
  stage dbt-expectations "$DBT_EXP_DIR" && prof="$logs/dbt-expectations-profiles" && duckdb_profile "$prof" integration_tests main 1
  (cd "$logs/dbt-expectations/integration_tests" && $TSDBT deps --profiles-dir "$prof" && $TSDBT build --profiles-dir "$prof") > "$logs/dbt-expectations.log" 2>&1
  summarize dbt-expectations "$logs/dbt-expectations.log"
fi

# --- Real-world projects ---
# The jaffle shops (dbt-labs' example projects): deps, seed, build, docs generate on DuckDB.
# jaffle_shop (classic) has no profile of its own; jaffle_shop_duckdb's targets DuckDB (a written one is used for both).
for js in jaffle_shop jaffle_shop_duckdb; do
  if want "$js" && [ -d "$EXT_DIR/$js/models" ]; then
    stage "$js" && prof="$logs/$js-profiles" && duckdb_profile "$prof" jaffle_shop main
    (cd "$logs/$js" && $TSDBT deps --profiles-dir "$prof" && $TSDBT seed --profiles-dir "$prof" && $TSDBT build --profiles-dir "$prof" \
      && $TSDBT docs generate --profiles-dir "$prof") > "$logs/$js.log" 2>&1
    summarize "$js" "$logs/$js.log"
    echo "   $(grep -E '^Catalog: ' "$logs/$js.log")"
  fi
done
# jaffle-shop (the new one): its raw_orders/raw_items seeds are Git LFS files the mirror lacks, so
# jaffle-data.mjs writes rows of the same shape; the seeds are enabled only with load_source_data
# (its README: `dbt seed --full-refresh --vars '{"load_source_data": true}'`), then build (unit
# tests, semantic models, metrics, saved queries) and docs generate; `sl validate` and a query.
if want jaffle-shop && [ -d "$EXT_DIR/jaffle-shop/models" ]; then
  stage jaffle-shop && prof="$logs/jaffle-shop-profiles" && duckdb_profile "$prof" default main
  node "$here/jaffle-data.mjs" "$logs/jaffle-shop" > /dev/null
  (cd "$logs/jaffle-shop" && $TSDBT deps --profiles-dir "$prof" && $TSDBT seed --full-refresh --vars '{"load_source_data": true}' --profiles-dir "$prof" \
    && $TSDBT build --profiles-dir "$prof" && $TSDBT docs generate --profiles-dir "$prof" && $TSDBT sl validate --profiles-dir "$prof" \
    && $TSDBT sl query --metrics order_total,orders,revenue --group-by metric_time__month --order metric_time__month --limit 2 --output csv --profiles-dir "$prof") > "$logs/jaffle-shop.log" 2>&1
  summarize jaffle-shop "$logs/jaffle-shop.log"
  echo "   $(grep -E '^Catalog: |: valid$' "$logs/jaffle-shop.log" | tr '\n' ' ')"
fi

if want tuva && [ -d "$EXT_DIR/tuva/integration_tests" ]; then
  # Its seeds load from cloud storage: deps, parse, ls, compile (every enabled node).
  stage tuva && prof="$logs/tuva-profiles" && duckdb_profile "$prof" default main
  (cd "$logs/tuva/integration_tests" && $TSDBT deps --profiles-dir "$prof" && $TSDBT parse --profiles-dir "$prof" \
    && echo "ls: $($TSDBT ls --profiles-dir "$prof" | wc -l) resources" && $TSDBT compile --profiles-dir "$prof") > "$logs/tuva.log" 2>&1
  echo "== tuva: $(untimed "$logs/tuva.log" | grep -E '^Found ' | head -1) | $(grep -E '^ls: ' "$logs/tuva.log") | compile: $(untimed "$logs/tuva.log" | grep -E '^Done\.|Compiled|^Encountered' | tail -1)"
  untimed "$logs/tuva.log" | grep -E '^ *([A-Za-z]+ )?(Error|Failure) in |^  \[[A-Z_]+\]|^\[[A-Z_]+\]' | head -10 | sed 's/^ */   /'
  echo "   full log: $logs/tuva.log"
  # Then seed, run and test with no data: the seeds' loads from cloud storage are switched off by a macro of the
  # test project's own (its dispatch order puts integration_tests before the_tuva_project), so each seed stays as
  # its header-only CSV made it. The warnings are the tests of row counts and relationships on empty tables.
  mkdir -p "$logs/tuva/integration_tests/macros"
  echo '{% macro duckdb__load_seed(uri, pattern, compression, headers, null_marker) %}{% endmacro %}' > "$logs/tuva/integration_tests/macros/tsdbt_offline_load_seed.sql"
  (cd "$logs/tuva/integration_tests" && for step in seed run test; do $TSDBT $step --profiles-dir "$prof"; echo "step exit $? ($step)"; done) > "$logs/tuva-build.log" 2>&1
  echo "== tuva seed, run, test (no data): $(untimed "$logs/tuva-build.log" | grep -E '^Done\.' | sed -E 's/ NO-OP=0//; s/^Done\. //' | paste -sd '|' | sed 's/|/ | /g')"
  untimed "$logs/tuva-build.log" | grep -E '^ *([A-Za-z]+ )?Error in ' | head -10 | sed 's/^ */   /'
  echo "   full log: $logs/tuva-build.log"
fi

# Fivetran's integration tests, with their CI profile's schema. dbt_shopify's
# get_metafields sorts [var, shopify.max_columns(...)], and max_columns has no
# duckdb__ version (its default returns none): a TypeError under dbt-duckdb
# too. The script adds a duckdb__max_columns to the test project's macros.
fivetran() { # checkout schema [macro file to add to the test project]
  stage "$1" && prof="$logs/$1-profiles" && duckdb_profile "$prof" integration_tests "$2"
  if [ -n "${3:-}" ]; then mkdir -p "$logs/$1/integration_tests/macros" && printf '%s\n' "$3" > "$logs/$1/integration_tests/macros/tsdbt_compat_shim.sql"; fi
  # build runs after a failed seed too (hubspot has a seed DuckDB cannot load; build reports it with the rest).
  (cd "$logs/$1/integration_tests" && $TSDBT deps --profiles-dir "$prof" && { $TSDBT seed --profiles-dir "$prof"; $TSDBT build --profiles-dir "$prof"; }) > "$logs/$1.log" 2>&1
  summarize "$1" "$logs/$1.log"
}
want dbt_shopify && [ -d "$EXT_DIR/dbt_shopify/integration_tests" ] && fivetran dbt_shopify shopify_integration_tests \
  "{%- macro duckdb__max_columns(source_table_column_count, id_column) -%}{{ return(10000 - source_table_column_count - shopify.downstream_model_column_count(id_column)) }}{%- endmacro -%}"
want dbt_jira && [ -d "$EXT_DIR/dbt_jira/integration_tests" ] && fivetran dbt_jira jira_integrations_tests_42
want dbt_hubspot && [ -d "$EXT_DIR/dbt_hubspot/integration_tests" ] && fivetran dbt_hubspot hubspot_integration_tests
want dbt_zendesk && [ -d "$EXT_DIR/dbt_zendesk/integration_tests" ] && fivetran dbt_zendesk zendesk_integration_tests
want dbt_stripe && [ -d "$EXT_DIR/dbt_stripe/integration_tests" ] && fivetran dbt_stripe stripe_integrations_tests
# Sixteen more Fivetran packages, each with its test project's <name>_schema var as the schema
# (figures and the nodes DuckDB cannot run: README.md).
want dbt_github && [ -d "$EXT_DIR/dbt_github/integration_tests" ] && fivetran dbt_github github_integration_tests_1
want dbt_salesforce && [ -d "$EXT_DIR/dbt_salesforce/integration_tests" ] && fivetran dbt_salesforce salesforce_integrations_tests_4
want dbt_quickbooks && [ -d "$EXT_DIR/dbt_quickbooks/integration_tests" ] && fivetran dbt_quickbooks quickbooks_integration_tests
want dbt_asana && [ -d "$EXT_DIR/dbt_asana/integration_tests" ] && fivetran dbt_asana asana_integrations_tests_03
want dbt_netsuite && [ -d "$EXT_DIR/dbt_netsuite/integration_tests" ] && fivetran dbt_netsuite netsuite_integrations_tests
want dbt_klaviyo && [ -d "$EXT_DIR/dbt_klaviyo/integration_tests" ] && fivetran dbt_klaviyo klaviyo_integration_tests
want dbt_xero && [ -d "$EXT_DIR/dbt_xero/integration_tests" ] && fivetran dbt_xero xero_integration_tests
want dbt_recharge && [ -d "$EXT_DIR/dbt_recharge/integration_tests" ] && fivetran dbt_recharge recharge_integration_tests_03
want dbt_mailchimp && [ -d "$EXT_DIR/dbt_mailchimp/integration_tests" ] && fivetran dbt_mailchimp mailchimp_integration_tests_2
want dbt_pendo && [ -d "$EXT_DIR/dbt_pendo/integration_tests" ] && fivetran dbt_pendo pendo_integration_tests
want dbt_intercom && [ -d "$EXT_DIR/dbt_intercom/integration_tests" ] && fivetran dbt_intercom intercom_integration_tests
want dbt_greenhouse && [ -d "$EXT_DIR/dbt_greenhouse/integration_tests" ] && fivetran dbt_greenhouse greenhouse_integration_tests_06
want dbt_twilio && [ -d "$EXT_DIR/dbt_twilio/integration_tests" ] && fivetran dbt_twilio twilio_integration_tests
want dbt_iterable && [ -d "$EXT_DIR/dbt_iterable/integration_tests" ] && fivetran dbt_iterable iterable_integration_tests
want dbt_amplitude && [ -d "$EXT_DIR/dbt_amplitude/integration_tests" ] && fivetran dbt_amplitude amplitude_integration_tests
want dbt_marketo && [ -d "$EXT_DIR/dbt_marketo/integration_tests" ] && fivetran dbt_marketo marketo_integration_tests
# Fourteen more, added 2026-12-07 (README.md).
want dbt_fivetran_log && [ -d "$EXT_DIR/dbt_fivetran_log/integration_tests" ] && fivetran dbt_fivetran_log fivetran_platform_integration_tests
want dbt_zuora && [ -d "$EXT_DIR/dbt_zuora/integration_tests" ] && fivetran dbt_zuora zuora_integration_tests_4
want dbt_recurly && [ -d "$EXT_DIR/dbt_recurly/integration_tests" ] && fivetran dbt_recurly recurly_integrations_tests
want dbt_mixpanel && [ -d "$EXT_DIR/dbt_mixpanel/integration_tests" ] && fivetran dbt_mixpanel mixpanel_integration_tests
want dbt_servicenow && [ -d "$EXT_DIR/dbt_servicenow/integration_tests" ] && fivetran dbt_servicenow servicenow_integration_tests
want dbt_sage_intacct && [ -d "$EXT_DIR/dbt_sage_intacct/integration_tests" ] && fivetran dbt_sage_intacct sage_intacct_integration_tests
want dbt_lever && [ -d "$EXT_DIR/dbt_lever/integration_tests" ] && fivetran dbt_lever lever_integration_tests
want dbt_facebook_ads && [ -d "$EXT_DIR/dbt_facebook_ads/integration_tests" ] && fivetran dbt_facebook_ads facebook_ads_integration_tests
want dbt_sap && [ -d "$EXT_DIR/dbt_sap/integration_tests" ] && fivetran dbt_sap sap_integration_tests
want dbt_workday && [ -d "$EXT_DIR/dbt_workday/integration_tests" ] && fivetran dbt_workday workday_integration_tests
want dbt_apple_store && [ -d "$EXT_DIR/dbt_apple_store/integration_tests" ] && fivetran dbt_apple_store apple_store_integration_tests
want dbt_google_ads && [ -d "$EXT_DIR/dbt_google_ads/integration_tests" ] && fivetran dbt_google_ads google_ads_integration_tests
want dbt_qualtrics && [ -d "$EXT_DIR/dbt_qualtrics/integration_tests" ] && fivetran dbt_qualtrics qualtrics_integration_tests
want dbt_amazon_ads && [ -d "$EXT_DIR/dbt_amazon_ads/integration_tests" ] && fivetran dbt_amazon_ads amazon_ads_integration_tests_03
# Thirteen more, the same day.
want dbt_microsoft_ads && [ -d "$EXT_DIR/dbt_microsoft_ads/integration_tests" ] && fivetran dbt_microsoft_ads microsoft_ads_integration_tests_7
want dbt_linkedin && [ -d "$EXT_DIR/dbt_linkedin/integration_tests" ] && fivetran dbt_linkedin linkedin_integration_tests
want dbt_pinterest && [ -d "$EXT_DIR/dbt_pinterest/integration_tests" ] && fivetran dbt_pinterest pinterest_integration_tests
want dbt_reddit_ads && [ -d "$EXT_DIR/dbt_reddit_ads/integration_tests" ] && fivetran dbt_reddit_ads reddit_ads_integration_tests
want dbt_snapchat_ads && [ -d "$EXT_DIR/dbt_snapchat_ads/integration_tests" ] && fivetran dbt_snapchat_ads snapchat_ads_integration_tests_9
want dbt_tiktok_ads && [ -d "$EXT_DIR/dbt_tiktok_ads/integration_tests" ] && fivetran dbt_tiktok_ads tiktok_ads_integration_tests_5
want dbt_twitter && [ -d "$EXT_DIR/dbt_twitter/integration_tests" ] && fivetran dbt_twitter twitter_ads_integration_tests_4
want dbt_salesforce_marketing_cloud && [ -d "$EXT_DIR/dbt_salesforce_marketing_cloud/integration_tests" ] && fivetran dbt_salesforce_marketing_cloud sfmc_integration_tests_06
want dbt_pardot && [ -d "$EXT_DIR/dbt_pardot/integration_tests" ] && fivetran dbt_pardot pardot_integration_tests
want dbt_linkedin_pages && [ -d "$EXT_DIR/dbt_linkedin_pages/integration_tests" ] && fivetran dbt_linkedin_pages linkedin_pages_integration_tests
want dbt_youtube_analytics && [ -d "$EXT_DIR/dbt_youtube_analytics/integration_tests" ] && fivetran dbt_youtube_analytics youtube_analytics_integration_tests
want dbt_aws_cloud_cost && [ -d "$EXT_DIR/dbt_aws_cloud_cost/integration_tests" ] && fivetran dbt_aws_cloud_cost aws_cloud_cost_integration_tests_3
want dbt_amazon_selling_partner && [ -d "$EXT_DIR/dbt_amazon_selling_partner/integration_tests" ] && fivetran dbt_amazon_selling_partner asp_integration_tests

if want dbt_artifacts && [ -d "$EXT_DIR/dbt_artifacts/integration_test_project" ]; then
  # No DuckDB target of its own; its on-run-end hook uploads the run's results.
  stage dbt_artifacts && prof="$logs/dbt_artifacts-profiles" && duckdb_profile "$prof" dbt_artifacts main
  (cd "$logs/dbt_artifacts/integration_test_project" && $TSDBT deps --profiles-dir "$prof" && { $TSDBT seed --profiles-dir "$prof"; echo "seed exit $?"; $TSDBT build --profiles-dir "$prof"; echo "build exit $?"; }) > "$logs/dbt_artifacts.log" 2>&1
  summarize dbt_artifacts "$logs/dbt_artifacts.log"
  echo "   $(grep -E '^(seed|build) exit' "$logs/dbt_artifacts.log" | tr '\n' ' ')"
fi

# elementary's dbt package: its test project is integration_tests/dbt_project (packages: local ../../ and
# dbt_utils). Its CI runs deps, then pytest, whose session start (tests/env.py) runs, with the harness's vars
# (tests/dbt_project.py): run-operation elementary_tests.clear_env, run --selector init, run --select
# elementary. Its tests then `seed --full-refresh` and run and test the models
# (test_exposure_schema_validity.py); the script runs seed --full-refresh, run and test, without the
# harness's vars, so on-run-end uploads the artifacts. README profile: schema edr.
elementary_project() { # name checkout
  stage "$1" "$2" && proj="$logs/$1/integration_tests/dbt_project"
  node "$here/offline-packages.mjs" "$proj" "$logs/$1-packages" "$EXT_DIR" > /dev/null
  prof="$logs/$1-profiles" && duckdb_profile "$prof" elementary_tests edr
  hv='{"disable_dbt_invocation_autoupload": true, "disable_dbt_artifacts_autoupload": true, "columns_upload_strategy": "none", "disable_run_results": true, "disable_freshness_results": true, "debug_logs": true, "schema_name_suffix": ""}'
  (cd "$proj" && $TSDBT deps --profiles-dir "$prof" && for step in "run-operation elementary_tests.clear_env" "run --selector init" "run --select elementary"; do
    $TSDBT $step --profiles-dir "$prof" --vars "$hv"; echo "step exit $? ($step)"; done \
    && for step in "seed --full-refresh" run test; do $TSDBT $step --profiles-dir "$prof"; echo "step exit $? ($step)"; done) > "$logs/$1.log" 2>&1
  echo "== $1: $(untimed "$logs/$1.log" | grep -E '^Done\.' | sed -E 's/ WARN=0//; s/ NO-OP=0//; s/^Done\. //' | paste -sd '|' | sed 's/|/ | /g')"
  echo "   $(grep -E '^step exit' "$logs/$1.log" | sed -E 's/^step exit ([0-9]+) \((.*)\)$/\2: \1/' | paste -sd ';' | sed 's/;/; /g')"
  untimed "$logs/$1.log" | grep -E '^ *([A-Za-z]+ )?(Error|Failure) in ' | sed -E 's/^ */   /'
  echo "   full log: $logs/$1.log"
}
# tuva-health's fork (382c570c), and elementary-data's own release 0.25.1 (which has DuckDB versions of its macros).
if want elementary && [ -d "$EXT_DIR/dbt-data-reliability/integration_tests/dbt_project" ]; then elementary_project elementary "$EXT_DIR/dbt-data-reliability"; fi
if want elementary-0.25.1 && [ -d "$EXT_DIR/elementary-0.25.1/integration_tests/dbt_project" ]; then
  elementary_project elementary-0.25.1 "$EXT_DIR/elementary-0.25.1"
  proj="$logs/elementary-0.25.1/integration_tests/dbt_project" prof="$logs/elementary-0.25.1-profiles"
  # Its anomaly tests, which its pytest suite generates: a seed of the 30 UTC days before today, 20 rows a day
  # from 01:00 and 200 yesterday, and one test of each kind on it; seed, then test. The tests that count rows or
  # add values fail on yesterday's spike; freshness, event freshness and schema changes pass.
  node -e '
    const day = 86400000, today = Math.floor(Date.now() / day) * day, rows = ["updated_at,value,category"];
    for (let d = 30; d >= 1; d--) for (let i = 0; i < (d === 1 ? 200 : 20); i++)
      rows.push(`${new Date(today - d * day + 3600000 + i * 60000).toISOString().slice(0, 19).replace("T", " ")},${(i * 7) % 13},${i % 2 ? "a" : "b"}`);
    console.log(rows.join("\n"));' > "$proj/data/tsdbt_anomaly_data.csv"
  printf '%s\n' 'version: 2' 'seeds:' '  - name: tsdbt_anomaly_data' '    data_tests:' \
    '      - elementary.volume_anomalies: {timestamp_column: updated_at}' \
    '      - elementary.column_anomalies: {timestamp_column: updated_at, column_anomalies: [average, null_count, zero_count, min, max, sum, standard_deviation, variance], column_name: value}' \
    '      - elementary.dimension_anomalies: {timestamp_column: updated_at, dimensions: [category]}' \
    '      - elementary.all_columns_anomalies: {timestamp_column: updated_at}' \
    '      - elementary.freshness_anomalies: {timestamp_column: updated_at}' \
    '      - elementary.event_freshness_anomalies: {event_timestamp_column: updated_at}' \
    '      - elementary.schema_changes' > "$proj/models/tsdbt_anomaly.yml"
  (cd "$proj" && $TSDBT seed -s tsdbt_anomaly_data --profiles-dir "$prof" && $TSDBT test -s tsdbt_anomaly_data --profiles-dir "$prof") > "$logs/elementary-anomaly.log" 2>&1
  echo "== elementary-0.25.1 anomaly tests: $(untimed "$logs/elementary-anomaly.log" | grep -E '^Done\.' | sed -E 's/ NO-OP=0//; s/^Done\. //' | paste -sd '|' | sed 's/|/ | /g')"
  untimed "$logs/elementary-anomaly.log" | grep -E '^ *([A-Za-z]+ )?(Error|Failure) in ' | sed -E 's/^ */   /'
  echo "   full log: $logs/elementary-anomaly.log"
fi

# dbt-external-tables (its integration_tests; CI: Snowflake, Redshift, BigQuery): deps, parse and ls on a
# `type: snowflake` profile (no connection), which enables its snowflake/ sources and models only (its
# dbt_project.yml's sources:/models:/tests: folders gated on target.type); then its run_test.sh steps on
# DuckDB, where every plugin folder is disabled: seed --full-refresh, run-operation prep_external,
# stage_external_sources (with ext_full_refresh, then without), test.
if want re_data && [ -d "$EXT_DIR/dbt-re-data/integration_tests" ]; then
  # re_data's integration tests (re-data/dbt-re-data c93f125, `git archive HEAD`), the steps of its
  # python_tests/test_monitoring.py on DuckDB: seed, two days of metrics, the monitoring tests and a build,
  # the test history, generate_overview. re_data has no DuckDB macros: the shim below gives seven, in DuckDB's
  # SQL (information_schema from the system catalog, upper-case type names, quantile_cont over a window, format,
  # strftime, regexp_replace's 'g').
  stage re_data "$EXT_DIR/dbt-re-data" && node "$here/offline-packages.mjs" "$logs/re_data/integration_tests" "$logs/re_data-packages" "$EXT_DIR" > /dev/null
  prof="$logs/re_data-profiles" && mkdir -p "$prof" && printf 're_data_postgres:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: %s/re.duckdb\n      schema: dq\n      threads: 4\n' "$prof" > "$prof/profiles.yml"
  cat > "$logs/re_data/integration_tests/macros/tsdbt_duckdb_shim.sql" <<'SHIM'
{% macro duckdb__get_monitored_columns(table_schema, db_name) %}
    select table_name, table_schema, table_catalog, column_name, data_type, is_nullable
    from system.information_schema.columns
    where table_schema = '{{ table_schema }}' and table_catalog = '{{ db_name }}'
{% endmacro %}
{% macro duckdb__get_column_type(column) %}
    {% set t = column.data_type | lower %}
    {% if t in ['varchar', 'text', 'char', 'bpchar'] %}{{ return('text') }}
    {% elif t in ['tinyint', 'smallint', 'integer', 'bigint', 'hugeint', 'float', 'double', 'real'] or t.startswith('decimal') %}{{ return('numeric') }}
    {% elif t == 'boolean' %}{{ return('boolean') }}
    {% else %}{{ return('unknown') }}{% endif %}
{% endmacro %}
{% macro duckdb__percentile(percentile_field, partition_field, percent) %}
    quantile_cont({{ percentile_field }}, {{ percent }}) over (partition by {{ partition_field }})
{% endmacro %}
{% macro duckdb__to_2dp(val) %}format('{:.2f}', {{ val }}){% endmacro %}
{% macro duckdb__format_timestamp(column_name) %}strftime({{ column_name }}, '%Y-%m-%d %H:%M:%S'){% endmacro %}
{% macro duckdb__clean_blacklist(column_name, pattern_string, replacement) %}
    regexp_replace({{ column_name }}, '{{ pattern_string }}', '{{ replacement }}', 'g')
{% endmacro %}
SHIM
  day1='{"re_data:time_window_start": "2021-05-01 00:00:00", "re_data:time_window_end": "2021-05-02 00:00:00", "re_data:save_test_history": true, "source_schema": "dq"}'
  day2='{"re_data:time_window_start": "2021-05-02 00:00:00", "re_data:time_window_end": "2021-05-03 00:00:00", "re_data:save_test_history": true, "source_schema": "dq"}'
  tested='test_re_data_anomalies test_re_data_metrics test_re_data_z_score test_re_data_table_samples re_data_metrics transformed'
  (cd "$logs/re_data/integration_tests" && $TSDBT deps --profiles-dir "$prof" \
    && $TSDBT seed --full-refresh --select monitoring --vars "$day1" --profiles-dir "$prof" \
    && $TSDBT run --full-refresh --fail-fast --select transformed --vars "$day1" --profiles-dir "$prof" \
    && $TSDBT run-operation create_test_source_tables --vars "$day1" --profiles-dir "$prof" \
    && $TSDBT run --full-refresh --fail-fast --select package:re_data --vars "$day1" --profiles-dir "$prof" \
    && $TSDBT run-operation schema_change_buy_events_add_column --vars "$day1" --profiles-dir "$prof" \
    && $TSDBT run --fail-fast --select package:re_data --vars "$day2" --profiles-dir "$prof" \
    && $TSDBT run --select 'monitoring.*' --vars "$day2" --profiles-dir "$prof" \
    && $TSDBT test --store-failures --select $tested --vars "$day2" --profiles-dir "$prof" \
    && $TSDBT build --full-refresh --store-failures --select $tested --vars "$day2" --profiles-dir "$prof"; \
    $TSDBT test --store-failures --select test_re_data_test_history --vars "$day2" --profiles-dir "$prof"; \
    $TSDBT run-operation generate_overview --args "{start_date: '2021-05-02', end_date: '2021-05-03', interval: 'days:1'}" --vars "$day2" --profiles-dir "$prof" \
    && python3 -c "import json; o = json.load(open('../target/re_data/overview.json')); print('overview:', len(o), 'entries, types', ' '.join(sorted({x['type'] for x in o})))") > "$logs/re_data.log" 2>&1
  steps re_data "$(grep -E '^overview:' "$logs/re_data.log")"
fi

if want segment && [ -d "$EXT_DIR/segment/integration_tests" ]; then
  # dbt-labs' Segment package (dbt-labs/segment 195d680, `git archive HEAD`), its integration tests as its Makefile
  # runs them (deps, seed, run --full-refresh, run, test) on DuckDB: page views sessionized by incremental models.
  stage segment "$EXT_DIR/segment" && node "$here/offline-packages.mjs" "$logs/segment/integration_tests" "$logs/segment-packages" "$EXT_DIR" > /dev/null
  prof="$logs/segment-profiles" && duckdb_profile "$prof" integration_tests main 2
  (cd "$logs/segment/integration_tests" && $TSDBT deps --profiles-dir "$prof" && $TSDBT seed --profiles-dir "$prof" \
    && $TSDBT run --full-refresh --profiles-dir "$prof" && $TSDBT run --profiles-dir "$prof" && $TSDBT test --profiles-dir "$prof") > "$logs/segment.log" 2>&1
  steps segment
fi

for as in tnightengale bcodell; do
  if want "activity-schema-$as" && [ -d "$EXT_DIR/dbt-activity-schema-$as/integration_tests" ]; then
    # The two dbt_activity_schema packages (tnightengale/dbt-activity-schema a567600, bcodell/dbt-activity-schema
    # abe0d83; `git archive HEAD`), each with its own DuckDB profile (in memory) and its pinned dbt_utils 1.0.0, as
    # their CI runs them: `build -x`. tnightengale's models are dbt-duckdb `external` (CSV files); bcodell's CI
    # builds twice, its `skip_stream` vars set false and then true.
    name="activity-schema-$as"
    stage "$name" "$EXT_DIR/dbt-activity-schema-$as" && node "$here/offline-packages.mjs" "$logs/$name/integration_tests" "$logs/$name-packages" "$EXT_DIR" > /dev/null
    (cd "$logs/$name/integration_tests" && $TSDBT deps --profiles-dir . && if [ "$as" = bcodell ]; then
        sed -i 's/skip_stream: true/skip_stream: false/' dbt_project.yml && $TSDBT build -x --profiles-dir . \
          && sed -i 's/skip_stream: false/skip_stream: true/' dbt_project.yml && $TSDBT build -x --profiles-dir .
      else $TSDBT build -x --profiles-dir .; fi) > "$logs/$name.log" 2>&1
    steps "$name"
  fi
done

if want dbt_constraints && [ -d "$EXT_DIR/dbt_constraints/integration_tests/dbt-core" ]; then
  # Snowflake-Labs/dbt_constraints (205b5cf, `git archive HEAD`), integration_tests/dbt-core on DuckDB, which the
  # package does not support: its seeds' post-hook `clone_table` gets a DuckDB version (below), the issue_105 models
  # are left out (their database is `<target.user>_<target.database>`, a catalog DuckDB has not), and what stays
  # DuckDB's is fact_order_line's `TO_CHAR` and the on-run-end hook (no `duckdb__create_not_null`).
  stage dbt_constraints "$EXT_DIR/dbt_constraints" && node "$here/offline-packages.mjs" "$logs/dbt_constraints/integration_tests/dbt-core" "$logs/dbt_constraints-packages" "$EXT_DIR" > /dev/null
  prof="$logs/dbt_constraints-profiles" && duckdb_profile "$prof" dbt_constraints main
  printf '%s\n' "{%- macro duckdb__clone_table(new_prefix) -%}{%- do run_query('create or replace table ' ~ api.Relation.create(database=this.database, schema=this.schema, identifier=new_prefix ~ this.identifier) ~ ' as select * from ' ~ this) -%}{%- endmacro -%}" > "$logs/dbt_constraints/integration_tests/dbt-core/macros/tsdbt_duckdb_clone.sql"
  (cd "$logs/dbt_constraints/integration_tests/dbt-core" && $TSDBT deps --profiles-dir "$prof" && $TSDBT seed --profiles-dir "$prof" \
    && $TSDBT build --exclude path:models/issue_105 --profiles-dir "$prof") > "$logs/dbt_constraints.log" 2>&1
  steps dbt_constraints "" keep-warn
fi

if want dbt-profiler && [ -d "$EXT_DIR/dbt-profiler/integration_tests" ]; then
  # data-mie/dbt-profiler (1cc8792, `git archive HEAD`), its integration tests (seed, run, test) on DuckDB, which it does
  # not list: one DuckDB macro reads the columns from DuckDB's information_schema (the default qualifies it by
  # database, which DuckDB's has not); then print_profile, whose table agate prints.
  stage dbt-profiler "$EXT_DIR/dbt-profiler" && node "$here/offline-packages.mjs" "$logs/dbt-profiler/integration_tests" "$logs/dbt-profiler-packages" "$EXT_DIR" > /dev/null
  prof="$logs/dbt-profiler-profiles" && duckdb_profile "$prof" integration_tests main
  mkdir -p "$logs/dbt-profiler/integration_tests/macros" && printf '%s\n' "{%- macro duckdb__information_schema(relation) -%}system.information_schema{%- endmacro -%}" > "$logs/dbt-profiler/integration_tests/macros/tsdbt_duckdb_shim.sql"
  (cd "$logs/dbt-profiler/integration_tests" && $TSDBT deps --profiles-dir "$prof" && $TSDBT seed --profiles-dir "$prof" && $TSDBT run --profiles-dir "$prof" \
    && $TSDBT test --profiles-dir "$prof" && $TSDBT run-operation print_profile --args '{relation_name: test_data_default}' --profiles-dir "$prof") > "$logs/dbt-profiler.log" 2>&1
  steps dbt-profiler "print_profile: $(tail -n +"$(grep -n 'Running with' "$logs/dbt-profiler.log" | tail -1 | cut -d: -f1)" "$logs/dbt-profiler.log" | grep -c '^| ') table lines"
fi

if want dbt-external-tables && [ -d "$EXT_DIR/dbt-external-tables/integration_tests" ]; then
  stage dbt-external-tables && proj="$logs/dbt-external-tables/integration_tests"
  node "$here/offline-packages.mjs" "$proj" "$logs/dbt-external-tables-packages" "$EXT_DIR" > /dev/null
  sf="$logs/dbt-external-tables-sf" && mkdir -p "$sf"
  printf 'integration_tests:\n  target: snowflake\n  outputs:\n    snowflake:\n      type: snowflake\n      threads: 4\n      account: test_account\n      user: tester\n      password: secret\n      database: ANALYTICS\n      role: TRANSFORMER\n      warehouse: TRANSFORM_XS\n      schema: dbt_external_tables_integration_tests_snowflake\n' > "$sf/profiles.yml"
  prof="$logs/dbt-external-tables-profiles" && duckdb_profile "$prof" integration_tests main 1
  (cd "$proj" && $TSDBT deps --profiles-dir "$sf" && $TSDBT parse --profiles-dir "$sf" && echo "ls: $($TSDBT ls --profiles-dir "$sf" | wc -l) resources" \
    && $TSDBT seed --full-refresh --profiles-dir "$prof" && $TSDBT run-operation prep_external --profiles-dir "$prof" \
    && $TSDBT run-operation dbt_external_tables.stage_external_sources --vars 'ext_full_refresh: true' --profiles-dir "$prof" \
    && $TSDBT run-operation dbt_external_tables.stage_external_sources --profiles-dir "$prof" && $TSDBT test --profiles-dir "$prof"; echo "exit $?") > "$logs/dbt-external-tables.log" 2>&1
  echo "== dbt-external-tables: snowflake: $(untimed "$logs/dbt-external-tables.log" | grep -E '^Found ' | head -1) | $(grep -E '^ls: ' "$logs/dbt-external-tables.log") | duckdb: $(untimed "$logs/dbt-external-tables.log" | grep -E '^Done\.|^No external sources|^No prep' | tr '\n' ';') $(grep -E '^exit ' "$logs/dbt-external-tables.log")"
  untimed "$logs/dbt-external-tables.log" | grep -E '^ *([A-Za-z]+ )?(Error|Failure) in |^\[[A-Z_]+\]' | grep -v '^\[WARNING\]' | head -10 | sed 's/^ */   /'
  echo "   full log: $logs/dbt-external-tables.log"
fi

# get-select/dbt-snowflake-monitoring (5.6.1) with dbt_query_tags 3.2.0: its integration_test_project on a
# `type: snowflake` profile: deps, parse, ls; with SNOWFLAKE_DOUBLE_PORT also compile, leaving out
# hourly_spend and its children (its date spine asks Snowflake for datediff('hour', '<literal>', '<literal>'),
# which the double's DuckDB cannot type: see README.md).
if want dbt-snowflake-monitoring && [ -d "$EXT_DIR/dbt-snowflake-monitoring/integration_test_project" ]; then
  stage dbt-snowflake-monitoring && proj="$logs/dbt-snowflake-monitoring/integration_test_project" && prof="$logs/dbt-snowflake-monitoring-profiles" && mkdir -p "$prof"
  snowflake_profile "$prof" dbt_snowflake_monitoring dbt_snowflake_monitoring
  (cd "$proj" && $TSDBT deps --profiles-dir "$prof" && $TSDBT parse --profiles-dir "$prof" && echo "ls: $($TSDBT ls --profiles-dir "$prof" | wc -l) resources" \
    && if [ -n "${SNOWFLAKE_DOUBLE_PORT:-}" ]; then $TSDBT compile --profiles-dir "$prof" --exclude hourly_spend+; fi) > "$logs/dbt-snowflake-monitoring.log" 2>&1
  echo "== dbt-snowflake-monitoring: $(untimed "$logs/dbt-snowflake-monitoring.log" | grep -E '^Found ' | head -1) | $(grep -E '^ls: ' "$logs/dbt-snowflake-monitoring.log") | compile: $(untimed "$logs/dbt-snowflake-monitoring.log" | grep -E '^Compiled [0-9]|^Encountered' | tail -1)"
  untimed "$logs/dbt-snowflake-monitoring.log" | grep -E '^ *([A-Za-z]+ )?(Error|Failure) in |^\[[A-Z_]+\]' | grep -v '^\[WARNING\]' | head -10 | sed 's/^ */   /'
  echo "   full log: $logs/dbt-snowflake-monitoring.log"
fi

if want snowplow-web && [ -d "$EXT_DIR/dbt-snowplow-web/integration_tests" ]; then
  # Snowplow's web package (1.0.1, with snowplow_utils 0.15.2): Postgres, Redshift, BigQuery, Databricks and Snowflake only.
  # deps, parse and ls against a Snowflake profile; with the double, seed (its models stop at the double's SQL: README.md).
  stage snowplow-web "$EXT_DIR/dbt-snowplow-web" && snowflake_profile "$logs/snowplow-web-profiles" integration_tests int_tests
  parse_ls snowplow-web "$logs/snowplow-web/integration_tests" "$logs/snowplow-web-profiles" seed
fi

if want cal-itp && [ -d "$EXT_DIR/cal-itp-data-infra/warehouse" ]; then
  # California Integrated Travel Project's warehouse (cal-itp/data-infra f20856f, a BigQuery project): deps, parse, ls
  # against a DuckDB profile (its models' SQL is BigQuery's; nothing runs).
  stage cal-itp "$EXT_DIR/cal-itp-data-infra/warehouse" && duckdb_profile "$logs/cal-itp-profiles" calitp_warehouse main
  parse_ls cal-itp "$logs/cal-itp" "$logs/cal-itp-profiles"
fi

if want balboa && [ -d "$EXT_DIR/balboa/transform" ]; then
  # Datacoves' demo warehouse (datacoves/balboa a19cafa, Snowflake; its generic tests use dbt 1.10's `arguments:`):
  # deps, parse, ls against a Snowflake profile; with the double, compile.
  stage balboa "$EXT_DIR/balboa/transform" && snowflake_profile "$logs/balboa-profiles" default dbt_test
  parse_ls balboa "$logs/balboa" "$logs/balboa-profiles" compile
fi

if want datavault4dbt && [ -d "$EXT_DIR/datavault4dbt-snowflake-demo/models" ]; then
  # Scalefree's Data Vault demo on Snowflake's TPC-H sample (ScalefreeCOM/datavault4dbt-snowflake-demo 07ee600) with
  # the datavault4dbt package (v1.18.3, `git archive`) and dbt-utils 1.3.0: deps, parse, ls; with the double, compile.
  stage datavault4dbt "$EXT_DIR/datavault4dbt-snowflake-demo" && snowflake_profile "$logs/datavault4dbt-profiles" datavault4dbt_snowflake_demo dv
  parse_ls datavault4dbt "$logs/datavault4dbt" "$logs/datavault4dbt-profiles" compile
fi

if want mattermost && [ -d "$EXT_DIR/mattermost-data-warehouse/transform/mattermost-analytics" ]; then
  # A company warehouse on Snowflake (transform/mattermost-analytics): deps, parse and
  # ls need no connection; compile (introspective queries) runs only against the double.
  stage mattermost "$EXT_DIR/mattermost-data-warehouse/transform/mattermost-analytics" && prof="$logs/mattermost-profiles" && mkdir -p "$prof"
  snowflake_profile "$prof" snowflake dbt_test
  (cd "$logs/mattermost" && $TSDBT deps --profiles-dir "$prof" && $TSDBT parse --profiles-dir "$prof" \
    && echo "ls: $($TSDBT ls --profiles-dir "$prof" | wc -l) resources (its default selector), $($TSDBT ls --profiles-dir "$prof" --resource-type model | wc -l) models" \
    && if [ -n "${SNOWFLAKE_DOUBLE_PORT:-}" ]; then $TSDBT compile --profiles-dir "$prof"; fi) > "$logs/mattermost.log" 2>&1
  echo "== mattermost: $(untimed "$logs/mattermost.log" | grep -E '^Found ' | head -1) | $(grep -E '^ls: ' "$logs/mattermost.log") | compile: $(untimed "$logs/mattermost.log" | grep -E 'Compiled|^Encountered' | tail -1)"
  untimed "$logs/mattermost.log" | grep -E '^ *([A-Za-z]+ )?(Error|Failure) in |^\[[A-Z_]+\]' | grep -v '^\[WARNING\]' | head -10 | sed 's/^ */   /'
  echo "   full log: $logs/mattermost.log"
fi
