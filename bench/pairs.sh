#!/usr/bin/env bash
# A/B timing of tsdbt builds: each round runs every checkout's bin/tsdbt.js once, in turn, under
# /usr/bin/time, and the end prints each label's wall seconds sorted (the median is the middle one).
#
#   bench/pairs.sh ROUNDS "ARGS" 'PREP' label=checkout:projectdir ...
#
# ARGS: the tsdbt command line, run in projectdir; PREP: a shell command run there before each run
# (e.g. 'rm -rf target' for a first parse), with $co the checkout. PAUSE seconds (default 5) before
# each run let the load average settle: tsdbt starts its YAML worker only while a core is likely spare.
# Give each checkout its own copy of the project when the builds differ (each has its own parse cache).
rounds=$1; args=$2; prep=$3; shift 3
declare -A res
for r in $(seq 1 "$rounds"); do
  for spec in "$@"; do
    label=${spec%%=*}; rest=${spec#*=}; co=${rest%%:*}; dir=${rest#*:}
    cd "$dir" || exit 1
    if [ -n "$prep" ]; then co=$co bash -c "$prep" >/dev/null 2>&1; fi
    sleep "${PAUSE:-5}"
    /usr/bin/time -o /tmp/pairs.time -f "%e %M %U %S" node "$co/bin/tsdbt.js" $args >/dev/null 2>/tmp/pairs.err
    out=$(tail -1 /tmp/pairs.time)
    echo "$label round $r: wall ${out%% *} s, $(echo "$out" | awk '{printf "%d MB, cpu %.2f s", $2/1024, $3+$4}') (load $(cut -d' ' -f1 /proc/loadavg))"
    res[$label]="${res[$label]} ${out%% *}"
  done
done
for k in "${!res[@]}"; do echo "$k: $(echo ${res[$k]} | tr ' ' '\n' | sort -n | tr '\n' ' ')"; done
