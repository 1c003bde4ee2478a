#!/usr/bin/env bash
# Issue #13's growth figure: a `forces` plan over 1, 8 and 40 synthetic forces (one month of the
# national generator, benchmarks/national/make_national_year.py from issue #15: translated copies
# of the real Leicestershire month 2021-11, 8,718 rows each) x 3 groups (violence, theft, all),
# each pack on a data_study_area (500 m), run with -j 2. Each N has its own folder holding only
# its N forces' files; since --force skips the files whose police.uk names name other forces
# (#13), every task opens only its own force's file, so the total should grow with N (it grew
# with N x N while each task read all N files).
# usage: benchmarks/forces_growth.sh HOTSPOTS_BINARY [WORK_DIR]
#   env GENERATOR=path/to/make_national_year.py (default: benchmarks/national/ of this tree)
set -euo pipefail
HOTSPOTS=$(realpath "$1")
W=$(realpath -m "${2:-/tmp/hotspots_forces_growth}")
HERE=$(cd "$(dirname "$0")/.." && pwd)
GENERATOR=${GENERATOR:-$HERE/benchmarks/national/make_national_year.py}
mkdir -p "$W"
[ -d "$W/national/2021-11" ] ||
  /usr/bin/python3 "$GENERATOR" "$W/national" --from 2021-11 --months 1 --forces 40
SRC=$W/national/2021-11
for n in 1 8 40; do
  rm -rf "${W:?}/$n"; mkdir -p "$W/$n/data"
  for i in $(seq -f "%02g" 1 "$n"); do ln -s "$SRC/2021-11-synthetic-$i-street.csv" "$W/$n/data/"; done
  python3 - "$W/$n" "$n" <<'PY'
import json, sys
w, n = sys.argv[1], int(sys.argv[2])
plan = {"plan_version": 1,
        "base": {"inputs": [w + "/data"], "read": {"skip_bad_rows": True},
                 "groups": ["violence", "theft", "all"], "data_study_area": {"buffer_m": 500}},
        "forces": [f"synthetic-{i:02d}" for i in range(1, n + 1)]}
json.dump(plan, open(w + "/plan.json", "w"), indent=1)
PY
  /usr/bin/time -f "$n forces: %e s wall, %M KB peak RSS" \
    "$HOTSPOTS" batch "$W/$n/plan.json" -o "$W/$n/out" -j 2 --quiet
  python3 "$HERE/benchmarks/batch_task_times.py" "$W/$n/out"
done
