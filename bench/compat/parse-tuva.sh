#!/usr/bin/env bash
# Times `tsdbt parse` on the Tuva Project's integration_tests (about 1,900
# enabled nodes and 1,700 macros). The project is copied to a temp folder and
# its packages resolved offline from local checkouts, as run-compat.sh does.
#
#   EXT_DIR  checkouts: tuva (v0.18.0), dbt-utils, metaplane-dbt-expectations, dbt-date, dbt-data-reliability
#   RUNS     parses to time (default 5); TSDBT as in run-compat.sh
set -u
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
TSDBT="${TSDBT:-node $repo/bin/tsdbt.js}"
EXT_DIR="${EXT_DIR:-/work/ext}"
RUNS="${RUNS:-5}"
work="$(mktemp -d "${TMPDIR:-/tmp}/tsdbt-parse-tuva-XXXXXX")"
cp -r "$EXT_DIR/tuva" "$work/tuva" && rm -rf "$work/tuva/integration_tests/dbt_packages"
node "$here/offline-packages.mjs" "$work/tuva" "$work/packages" "$EXT_DIR" > /dev/null
mkdir -p "$work/profiles"
printf 'default:\n  target: ci\n  outputs:\n    ci:\n      type: duckdb\n      path: %s/tuva.duckdb\n      threads: 4\n' "$work" > "$work/profiles/profiles.yml"
cd "$work/tuva/integration_tests" || exit 1
$TSDBT deps --profiles-dir "$work/profiles" > "$work/deps.log" 2>&1 || { cat "$work/deps.log"; exit 1; }
times=()
for i in $(seq "$RUNS"); do
  start=$(date +%s%N)
  $TSDBT parse --profiles-dir "$work/profiles" > "$work/parse-$i.log" 2>&1
  rc=$?
  end=$(date +%s%N)
  ms=$(( (end - start) / 1000000 ))
  times+=("$ms")
  echo "run $i: ${ms} ms wall (exit $rc); $(grep -E '^Found ' "$work/parse-$i.log"); $(grep -oE 'parsed in [0-9.]+s' "$work/parse-$i.log")"
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
echo "tuva parse: min ${sorted[0]} ms, median ${sorted[$(( ${#sorted[@]} / 2 ))]} ms over $RUNS runs (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
echo "logs: $work"
