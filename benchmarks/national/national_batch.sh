#!/usr/bin/env bash
# Issue #13's national figure: a `forces` plan over the national year (make_national_year.py:
# 62 synthetic forces x 12 months, 7,047,106 rows) x 3 groups (violence, theft, all), each pack on
# a study area made from its force's data (data_study_area, 500 m buffer), run with -j 2; and how
# the total grows with 1, 8 and 62 forces (folders holding only those forces' files). Prints the
# wall time and peak memory of each batch, and per task (from the manifests) the time, the
# reading time and the rows read.
# usage: NAT=/path/to/natyear bash benchmarks/national/national_batch.sh [HOTSPOTS] [WORK_DIR]
set -euo pipefail
HERE=$(cd "$(dirname "$0")/../.." && pwd)
HOTSPOTS=$(realpath "${1:-$HERE/build/cli/hotspots}")
W=$(realpath -m "${2:-/tmp/hotspots_national_batch}")
NAT=$(realpath "${NAT:?give NAT=folder written by make_national_year.py}")
mkdir -p "$W"
for n in ${COUNTS:-1 8 62}; do
  rm -rf "${W:?}/$n"; mkdir -p "$W/$n/data"
  for i in $(seq -f "%02g" 1 "$n"); do
    for f in "$NAT"/*/*-synthetic-"$i"-street.csv; do ln -s "$f" "$W/$n/data/"; done
  done
  python3 - "$W/$n" "$n" <<'PY'
import json, sys
w, n = sys.argv[1], int(sys.argv[2])
plan = {"plan_version": 1,
        "base": {"inputs": [w + "/data"], "read": {"skip_bad_rows": True},
                 "groups": ["violence", "theft", "all"], "data_study_area": {"buffer_m": 500}},
        "forces": [f"synthetic-{i:02d}" for i in range(1, n + 1)]}
json.dump(plan, open(w + "/plan.json", "w"), indent=1)
PY
  echo "+ $HOTSPOTS batch $W/$n/plan.json -o $W/$n/out -j 2 --quiet" >&2
  /usr/bin/time -f "$n forces x 3 groups, 12 months: %e s wall, %U s user, %S s sys, %M KB peak RSS" \
    "$HOTSPOTS" batch "$W/$n/plan.json" -o "$W/$n/out" -j 2 --quiet
  python3 "$HERE/benchmarks/batch_task_times.py" "$W/$n/out"
done
