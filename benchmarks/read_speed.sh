#!/usr/bin/env bash
# Issue #15's reading figure: MB/s of the read phase (`info -v` prints "timings: read ..." and
# "read N rows, X MB from F files in T s: R MB/s"; read = read_incidents + choosing the analysis
# CRS + reprojecting) and of the whole `info` command (input bytes / wall time from
# /usr/bin/time), for
#   1. the 1M-row generic CSV of the KDE bench (../shared/peers/gen_points.py 1000000 42),
#   2. the 40 Leicestershire police.uk months of ../shared/data/real (35 + 5 files, 85 MB),
#   3. the 7M-row national year (benchmarks/national/make_national_year.py NAT; 744 files),
# each RUNS times (the best and the median are printed), and for comparison the same with one
# thread (HOTSPOTS_THREADS=1 runs through `taskset -c 0`, which TBB follows).
# usage: benchmarks/read_speed.sh HOTSPOTS_BINARY [WORK_DIR]
#   env NAT=/path/to/national/year (default /work/tmp-national/year; skipped when absent)
#       RUNS=3, OLD=/path/to/an/older/hotspots (timed alongside)
set -euo pipefail
HS=$(realpath "$1")
W=$(realpath -m "${2:-/tmp/hotspots_read_speed}")
HERE=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${RUNS:-3}
NAT=${NAT:-/work/tmp-national/year}
mkdir -p "$W"
MB=0  # input MB, from the first run's -v line (an older binary without it reuses it)
PTS=$W/pts_1000000.csv
[ -f "$PTS" ] || /usr/bin/python3 "$HERE/../shared/peers/gen_points.py" 1000000 42 "$PTS" --no-vector
REAL=$HERE/../shared/data/real
declare -a NAMES=("1M-row generic CSV" "40 Leicestershire months")
declare -a ARGS=("$PTS --src-crs EPSG:27700"
                 "$REAL/police_uk_mgsf08m002/street/*-leicestershire-street.csv $REAL/police_uk_sanjiv576/street")
if [ -d "$NAT" ]; then NAMES+=("national year, 7M rows"); ARGS+=("$NAT"); fi

run() {  # run LABEL BINARY PREFIX ARGS...
  local label=$1 bin=$2 prefix=$3; shift 3
  local reads=() wholes=()
  for _ in $(seq "$RUNS"); do
    # shellcheck disable=SC2086
    out=$( { /usr/bin/time -f "WALL %e %U %S %M" $prefix "$bin" info "$@" -v >/dev/null; } 2>&1 )
    MB=$(grep -oP 'read [0-9,]+ rows, \K[0-9.]+(?= MB)' <<<"$out" || echo "$MB")
    read_s=$(grep -oP '^timings: read \K[0-9.]+' <<<"$out" || echo 0)
    wall=$(grep -oP '^WALL \K[0-9.]+' <<<"$out")
    cpu=$(awk '/^WALL/ {print $3 + $4}' <<<"$out")
    rss=$(awk '/^WALL/ {print int($5 / 1024)}' <<<"$out")
    reads+=("$read_s"); wholes+=("$wall")
    echo "  $label: read $read_s s, whole $wall s wall ($cpu s CPU, $rss MB), $MB MB" \
         "(load $(cut -d' ' -f1 /proc/loadavg))"
  done
  python3 - "$MB" "${reads[*]}" "${wholes[*]}" "$label" <<'PY'
import statistics, sys
mb = float(sys.argv[1]); r = [float(x) for x in sys.argv[2].split()]; w = [float(x) for x in sys.argv[3].split()]
f = lambda t: mb / t if t > 0 else float("nan")
print(f"  {sys.argv[4]}: read phase best {f(min(r)):.0f} MB/s, median {f(statistics.median(r)):.0f} MB/s; "
      f"whole command best {f(min(w)):.0f} MB/s, median {f(statistics.median(w)):.0f} MB/s")
PY
}

for i in "${!NAMES[@]}"; do
  echo "== ${NAMES[$i]}"
  # shellcheck disable=SC2086
  run "2 threads" "$HS" "" ${ARGS[$i]}
  # shellcheck disable=SC2086
  run "1 thread " "$HS" "taskset -c 0" ${ARGS[$i]}
  if [ -n "${OLD:-}" ]; then
    # shellcheck disable=SC2086
    run "older binary" "$OLD" "" ${ARGS[$i]}
  fi
done
