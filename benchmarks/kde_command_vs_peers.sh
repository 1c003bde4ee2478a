#!/usr/bin/env bash
# Whole-command timing of `hotspots kde` against SAGA, QGIS Heatmap and GRASS v.kernel on the same
# 1M synthetic points (../shared/peers/gen_points.py 1000000 42: 8 Gaussian hotspots + background
# + 20% exact duplicates over 40 km x 40 km around Leicester), quartic, R = 500 m, C = 50 m
# (800 x 800) and C = 10 m (4000 x 4000). Needs: bash ../shared/peers/install.sh
# usage: benchmarks/kde_command_vs_peers.sh [N=1000000]   (from the repository root)
#   SKIP_QGIS_GRASS=1: hotspots and SAGA only (QGIS and GRASS take minutes at 4000 x 4000)
#   SIZES="50": the cell sizes to run (default "50 10"; SIZES=50 skips the 4000 x 4000 grid)
set -euo pipefail
N=${1:-1000000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PEERS="$ROOT/../shared/peers"
HS=${HS:-$ROOT/build/cli/hotspots}
WORK=${WORK:-/tmp/hotspots_kde_bench}
mkdir -p "$WORK"
export EXTENT="440000 285000 480000 325000"
PTS="$WORK/pts_$N.csv"
[ -f "$PTS" ] || /usr/bin/python3 "$PEERS/gen_points.py" "$N" 42 "$PTS" --no-vector
for C in ${SIZES:-50 10}; do
  echo "== C = $C m"
  /usr/bin/time -f "hotspots whole command: %e s wall, peak %M KB" "$HS" kde "$PTS" \
    --src-crs EPSG:27700 --extent 440000,285000,480000,325000 --radius 500 --cell-size "$C" \
    --surface "$WORK/hotspots_$C.tif" --overwrite -v 2>&1 | grep -E "timings|whole"
  /usr/bin/time -f "SAGA whole script: %e s wall, peak %M KB" bash "$PEERS/kde_saga.sh" "$PTS" \
    "$WORK/saga_$C.tif" 500 "$C" 2>&1 | grep -E "PHASE|whole" || true
  [ -n "${SKIP_QGIS_GRASS:-}" ] && continue
  /usr/bin/time -f "QGIS whole script: %e s wall, peak %M KB" bash "$PEERS/kde_qgis.sh" "$PTS" \
    "$WORK/qgis_$C.tif" 500 "$C" 2>&1 | grep -E "PHASE|whole" || true
  /usr/bin/time -f "GRASS whole script: %e s wall, peak %M KB" bash "$PEERS/kde_grass.sh" "$PTS" \
    "$WORK/grass_$C.tif" 500 "$C" 2>&1 | grep -E "PHASE|whole" || true
  /usr/bin/python3 "$PEERS/compare_rasters.py" "$WORK/grass_$C.tif" "$WORK/hotspots_$C.tif" \
    --scale-b 1e-6 | grep -E "max_rel "
done
