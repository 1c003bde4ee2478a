#!/usr/bin/env bash
# Issue #13's figure: the 8 real police.uk forces of 2019-02 x 3 crime groups (violence, theft,
# all: BTP records no ASB, so an asb group would fail its task, as it should) as one batch plan
# (`forces`, one task per force; no boundary exists for most of them, so each pack's study area
# is made from its data: `data_study_area`, buffered 500 m). Wall time and peak memory locally
# with -j 1 and -j 2 (each run into a fresh folder), and under a real one-node Slurm started on
# 127.0.0.1 by tests/slurm/slurm_batch_test.sh (which also checks that every Slurm pack's output
# digests equal a local run's).
# usage: benchmarks/forces_batch.sh HOTSPOTS_BINARY [WORK_DIR]   (env SLURM=0 skips Slurm)
set -euo pipefail
HOTSPOTS=$(realpath "$1")
WORK=$(realpath -m "${2:-/tmp/hotspots_forces_batch}")
HERE=$(cd "$(dirname "$0")/.." && pwd)
DATA=$(realpath "$HERE/../shared/data/real/police_uk_mgsf08m002/street")
mkdir -p "$WORK"
rm -rf "$WORK"/j1 "$WORK"/j2
PLAN=$WORK/forces_plan.json
# The forces present, from info, so that the plan lists exactly the files' forces.
"$HOTSPOTS" info "$DATA" --json -q > "$WORK/info.json"
python3 - "$PLAN" "$DATA" "$WORK/info.json" <<'PY'
import json, sys
forces = [f["force"] for f in json.load(open(sys.argv[3]))["forces"]]
plan = {"plan_version": 1,
        "base": {"inputs": [sys.argv[2]],
                 "read": {"skip_bad_rows": True, "from": "2019-02", "to": "2019-02"},
                 "groups": ["violence", "theft", "all"],
                 "data_study_area": {"buffer_m": 500}},
        "forces": forces}
json.dump(plan, open(sys.argv[1], "w"), indent=1)
PY
echo "plan: $PLAN"
"$HOTSPOTS" batch "$PLAN" --list
for j in 1 2; do
  /usr/bin/time -f "batch -j $j: %e s wall, %M KB peak RSS (largest single process)" \
    "$HOTSPOTS" batch "$PLAN" -o "$WORK/j$j" -j "$j" --quiet
done
"$HOTSPOTS" batch "$PLAN" -o "$WORK/j2" --gather --quiet
for t in $("$HOTSPOTS" batch "$PLAN" --list | cut -f2); do
  python3 - "$WORK/j2/$t/manifest.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
print(sys.argv[1].split("/")[-2], "rows used", m["rows"]["used"], "filtered_force",
      m["rows"]["rejected"]["filtered_force"], "outside_study_area",
      m["rows"]["rejected"]["outside_study_area"])
PY
done
if [ "${SLURM:-1}" != 0 ]; then
  PLAN=$PLAN JOB_WAIT_S=${JOB_WAIT_S:-900} bash "$HERE/tests/slurm/slurm_batch_test.sh" "$HOTSPOTS" "$HERE"
fi
