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
# Wall time depends on the machine's load; CPU time (user + sys) much less.
walls=(); cpus=()
for i in $(seq "$RUNS"); do
  /usr/bin/time -f '%e %U %S' -o "$work/time-$i" $TSDBT parse --profiles-dir "$work/profiles" > "$work/parse-$i.log" 2>&1
  rc=$?
  read -r wall user sys < <(tail -1 "$work/time-$i")
  walls+=("$(awk -v w="$wall" 'BEGIN { printf "%d", w * 1000 }')")
  cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%d", (u + s) * 1000 }')")
  echo "run $i: ${walls[-1]} ms wall, ${cpus[-1]} ms CPU (exit $rc); $(grep -E '^Found ' "$work/parse-$i.log")"
  [ "$rc" = 0 ] || grep -E '^  \[[A-Z_]+\]|^\[[A-Z_]+\]' "$work/parse-$i.log" | head -3 | sed 's/^ */   /'
done
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
echo "tuva parse over $RUNS runs: median $(median "${walls[@]}") ms wall, $(median "${cpus[@]}") ms CPU (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
echo "logs: $work"
