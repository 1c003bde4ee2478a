#!/usr/bin/env bash
# Compare `hotspots kde` with GRASS v.kernel and QGIS Heatmap on REAL police.uk data: 2021
# Leicestershire anti-social behaviour (../shared/data/real), quartic, on a 20 km x 20 km grid
# around Leicester. Needs the peers: bash ../shared/peers/install.sh
# usage: benchmarks/compare_kde_peers.sh [RADIUS=300] [CELL=50]   (from the repository root)
set -euo pipefail
R=${1:-300}
C=${2:-50}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PEERS="$ROOT/../shared/peers"
REAL="$ROOT/../shared/data/real/police_uk_sanjiv576/street"
HS=${HS:-$ROOT/build/cli/hotspots}
WORK=${WORK:-/tmp/hotspots_kde_peers}
mkdir -p "$WORK"
export EXTENT="450000 295000 470000 315000"

# Points in EPSG:27700 for the peers, through GDAL/PROJ (the same transformation hotspots uses).
/usr/bin/python3 - "$REAL" "$WORK/asb2021.csv" <<'PY'
import csv, glob, sys
from osgeo import osr
src = osr.SpatialReference(); src.ImportFromEPSG(4326)
dst = osr.SpatialReference(); dst.ImportFromEPSG(27700)
for s in (src, dst): s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
ct = osr.CoordinateTransformation(src, dst)
rows = []
for path in sorted(glob.glob(sys.argv[1] + "/2021-*-street.csv")):
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            if r["Crime type"] == "Anti-social behaviour" and r["Longitude"] and r["Latitude"]:
                rows.append(ct.TransformPoint(float(r["Longitude"]), float(r["Latitude"]))[:2])
with open(sys.argv[2], "w") as f:
    f.write("x,y,w\n")
    for x, y in rows:
        f.write(f"{x:.3f},{y:.3f},1\n")
print(len(rows), "points")
PY

ext=$(echo "$EXTENT" | tr ' ' ',')
/usr/bin/time -f "hotspots wall %e s, peak %M KB" "$HS" kde "$WORK/asb2021.csv" --src-crs EPSG:27700 \
  --extent "$ext" --radius "$R" --cell-size "$C" --output-value density --overwrite \
  --surface "$WORK/hotspots.tif" -q
bash "$PEERS/kde_grass.sh" "$WORK/asb2021.csv" "$WORK/grass.tif" "$R" "$C" quartic
bash "$PEERS/kde_qgis.sh" "$WORK/asb2021.csv" "$WORK/qgis.tif" "$R" "$C" 2>/dev/null
# hotspots density is per km2: x 1e-6 -> per m2, the peers' common unit after --norm.
echo "== GRASS v.kernel (per m2) vs hotspots (per km2 x 1e-6)"
/usr/bin/python3 "$PEERS/compare_rasters.py" "$WORK/grass.tif" "$WORK/hotspots.tif" --scale-b 1e-6
echo "== QGIS Heatmap Raw x 3/(pi R^2) vs hotspots (QGIS shifts kernels by up to one cell in y: see ../shared/peers/README.md)"
/usr/bin/python3 "$PEERS/compare_rasters.py" "$WORK/qgis.tif" "$WORK/hotspots.tif" \
    --scale-a "$(awk -v r="$R" 'BEGIN{printf "%.17g", 3/(3.141592653589793*r*r)}')" --scale-b 1e-6
bash "$PEERS/kde_reference.sh" "$WORK/asb2021.csv" "$WORK/reference.tif" "$R" "$C" quartic
echo "== numpy exact reference (float64, per m2) vs hotspots"
/usr/bin/python3 "$PEERS/compare_rasters.py" "$WORK/reference.tif" "$WORK/hotspots.tif" --scale-b 1e-6
