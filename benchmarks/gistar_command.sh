#!/usr/bin/env bash
# Whole-command timing of `hotspots gistar` (read CSV -> count -> Gi* -> write), and R spdep on
# the same cells. Workload: the peer harness's synthetic incidents (gen_points.py N 42: 8
# Gaussian hotspots + uniform background + 20 % duplicates in the 40 km square around
# Leicester, EPSG:27700), on the fixed extent 440000,285000,480000,325000:
#   800 x 800 cells of 50 m with a 250 m band (5 cells, 81-cell disc), and
#   4000 x 4000 cells of 10 m with a 100 m band (10 cells, 317-cell disc).
# Each hotspots run is timed separately per output so the cost of each shows; spdep gets the
# counts that hotspots wrote (--cells OUT.csv, every cell), compare_gistar.py checks max |dz|.
# spdep at 4000 x 4000 runs under `timeout` (SPDEP_TIMEOUT, default 300 s) and is reported as
# stopped when it does not finish.
#
# usage: gistar_command.sh [HOTSPOTS_BINARY]
#   env: N (points, default 100000), PEERS (../shared/peers), WORK (/tmp/hotspots_gistar_bench),
#        SPDEP=0 to skip R, SPDEP_TIMEOUT (300)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
HOTSPOTS="${1:-$ROOT/build/cli/hotspots}"
PEERS="${PEERS:-$ROOT/../shared/peers}"
WORK="${WORK:-/tmp/hotspots_gistar_bench}"
N="${N:-100000}"
SPDEP="${SPDEP:-1}"
SPDEP_TIMEOUT="${SPDEP_TIMEOUT:-300}"
PY="${PY:-/usr/bin/python3}"
EXTENT=440000,285000,480000,325000
mkdir -p "$WORK"
cd "$WORK"
PTS="pts_${N}.csv"
[ -f "$PTS" ] || "$PY" "$PEERS/gen_points.py" "$N" 42 "$PTS" --no-vector

# timed LABEL CMD... -> "LABEL: wall s, peak RSS MiB"
timed() {
  local label=$1
  shift
  local rc=0
  /usr/bin/time -f "%e %M" -o time.txt "$@" || rc=$?
  read -r wall rss < <(tail -n 1 time.txt)
  printf '%-58s %8.2f s %7.0f MiB%s\n' "$label" "$wall" "$((rss / 1024))" \
    "$([ $rc -eq 0 ] || echo "  (exit $rc)")"
}

# every hotspots run: the same input, CRS and extent
GISTAR=("$HOTSPOTS" gistar "$PTS" --src-crs EPSG:27700 --extent "$EXTENT" --overwrite -q)

echo "N = $N points; hotspots $("$HOTSPOTS" --version)"
echo "--- 800 x 800, C = 50 m, D = 250 m"
A=(--cell-size 50 --distance-band 250)
timed "hotspots --zscores (no LISA)" "${GISTAR[@]}" "${A[@]}" --permutations 0 --zscores z800.tif
timed "hotspots --clusters --cold (no LISA)" "${GISTAR[@]}" "${A[@]}" --permutations 0 --clusters k800.geojson --cold
timed "hotspots --cells .csv, all 640,000 (no LISA)" "${GISTAR[@]}" "${A[@]}" --permutations 0 --cells c800.csv
timed "hotspots --cells .gpkg, all (no LISA)" "${GISTAR[@]}" "${A[@]}" --permutations 0 --cells c800.gpkg
timed "hotspots --cells .geojson, all (no LISA)" "${GISTAR[@]}" "${A[@]}" --permutations 0 --cells c800.geojson
timed "hotspots --cells .geojson --cells-subset significant" "${GISTAR[@]}" "${A[@]}" --permutations 0 --cells s800.geojson --cells-subset significant
timed "hotspots --zscores, LISA 99 permutations" "${GISTAR[@]}" "${A[@]}" --permutations 99 --zscores z800.tif
timed "hotspots --zscores, LISA 999 permutations (default)" "${GISTAR[@]}" "${A[@]}" --zscores z800.tif
ls -l c800.csv c800.gpkg c800.geojson s800.geojson | awk '{ printf "  %s %.1f MB\n", $9, $5 / 1e6 }'

if [ "$SPDEP" = 1 ]; then
  awk -F, 'NR == 1 { print "col,row,count"; next } { print $3 "," $2 "," $6 }' c800.csv >counts800.csv
  awk -F, 'NR == 1 { print "col,row,count,gistar"; next } { print $3 "," $2 "," $6 "," $7 }' c800.csv >hotspots800.csv
  timed "spdep localG on the same 640,000 cells" bash "$PEERS/gistar_spdep.sh" counts800.csv spdep800.csv 50 250
  "$PY" "$PEERS/compare_gistar.py" hotspots800.csv spdep800.csv || true
fi

echo "--- 4000 x 4000, C = 10 m, D = 100 m"
B=(--cell-size 10 --distance-band 100)
timed "hotspots --zscores (no LISA)" "${GISTAR[@]}" "${B[@]}" --permutations 0 --zscores z4000.tif
timed "hotspots --zscores --clusters --cold (no LISA)" "${GISTAR[@]}" "${B[@]}" --permutations 0 --zscores z4000.tif --clusters k4000.geojson --cold
timed "hotspots --cells .csv --cells-subset significant" "${GISTAR[@]}" "${B[@]}" --permutations 0 --cells s4000.csv --cells-subset significant
if [ "$SPDEP" = 1 ]; then
  rm -f spdep4000.csv
  # spdep bins the points itself on the same extent (same cell convention, every cell).
  timed "spdep localG (timeout ${SPDEP_TIMEOUT} s)" env EXTENT="440000 285000 480000 325000" \
    timeout "$SPDEP_TIMEOUT" bash "$PEERS/gistar_spdep.sh" "$PTS" spdep4000.csv 10 100 || true
  [ -s spdep4000.csv ] || echo "  spdep did not finish within ${SPDEP_TIMEOUT} s"
fi
