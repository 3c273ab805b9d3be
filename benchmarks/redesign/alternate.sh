#!/usr/bin/env bash
# Runs a timing script alternately with two checkouts of the package, the order reversed every
# other round, and appends each RESULT line to OUT.
#   bash benchmarks/redesign/alternate.sh ROUNDS OUT OLD_CHECKOUT NEW_CHECKOUT -- SCRIPT ARGS...
set -u
rounds=$1 out=$2 old=$3 new=$4
shift 5
: > "$out"
for round in $(seq 1 "$rounds"); do
  if [ $((round % 2)) -eq 1 ]; then order="old new"; else order="new old"; fi
  for version in $order; do
    if [ "$version" = old ]; then checkout=$old; else checkout=$new; fi
    result=$(cd /tmp && PYTHONPATH=$checkout python "$@" 2>/dev/null | grep RESULT)
    echo "$round $version $result" | tee -a "$out"
  done
done
