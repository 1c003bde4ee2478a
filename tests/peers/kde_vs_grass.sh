#!/usr/bin/env bash
# `hotspots kde` against GRASS GIS v.kernel on REAL police.uk data: Leicestershire anti-social
# behaviour in 2021 (about 10,100 incidents), quartic, R = 300 m, C = 50 m, on a 20 km x 20 km grid
# around Leicester. GRASS computes Σ 3/(πR²)(1−(d/R)²)² per m² at cell centres in float64 (see
# ../shared/peers/README.md); hotspots writes density per km² as Float32, so the two must agree to
# Float32 precision: max |A−B| / max|A| <= 1e-6 (measured 3.3e-8).
# usage: kde_vs_grass.sh HOTSPOTS_BINARY
#   env ALL_PEERS=1 also compares QGIS Heatmap (Raw x 3/(pi R^2)) and the numpy reference, and
#   prints hotspots' time (the numbers quoted in the README).
# exit: 0 agree, 1 disagree or failure, 77 skipped (GRASS, the peer scripts or the data missing).
set -euo pipefail
HOTSPOTS=$1
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PEERS="${PEERS:-$ROOT/../shared/peers}"
DATA="${DATA:-$ROOT/../shared/data/real}"
TOL="${TOL:-1e-6}"
skip() { echo "SKIP: $*" >&2; exit 77; }
[ -f "$PEERS/kde_grass.sh" ] || skip "peer scripts not found in $PEERS"
[ -d "$DATA/police_uk_sanjiv576/street" ] || skip "real data not found in $DATA"
command -v grass >/dev/null || skip "GRASS not installed (bash $PEERS/install.sh)"
/usr/bin/python3 -c 'import numpy; from osgeo import gdal' 2>/dev/null || skip "numpy/GDAL python missing"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export EXTENT="450000 295000 470000 315000"

# The points the peer reads: the same rows, projected by GDAL/PROJ like hotspots does.
/usr/bin/python3 - "$DATA/police_uk_sanjiv576/street" "$WORK/pts.csv" <<'PY'
import csv, glob, sys
from osgeo import osr
src = osr.SpatialReference(); src.ImportFromEPSG(4326)
dst = osr.SpatialReference(); dst.ImportFromEPSG(27700)
for s in (src, dst): s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
ct = osr.CoordinateTransformation(src, dst)
with open(sys.argv[2], "w") as out:
    out.write("x,y,w\n")
    for path in sorted(glob.glob(sys.argv[1] + "/2021-*-street.csv")):
        with open(path, newline="") as f:
            for r in csv.DictReader(f):
                if r["Crime type"] == "Anti-social behaviour" and r["Longitude"]:
                    x, y = ct.TransformPoint(float(r["Longitude"]), float(r["Latitude"]))[:2]
                    out.write(f"{x!r},{y!r},1\n")
PY
# hotspots reads the police.uk files itself (its own reader and projection).
/usr/bin/time -f "hotspots kde: %e s wall, peak %M KB" "$HOTSPOTS" kde "$DATA/police_uk_sanjiv576/street" --crime-type asb --from 2021-01 --to 2021-12 \
  --extent 450000,295000,470000,315000 --radius 300 --cell-size 50 --surface "$WORK/hotspots.tif" -q
bash "$PEERS/kde_grass.sh" "$WORK/pts.csv" "$WORK/grass.tif" 300 50 quartic 2>/dev/null
echo "== GRASS v.kernel vs hotspots"
/usr/bin/python3 "$PEERS/compare_rasters.py" "$WORK/grass.tif" "$WORK/hotspots.tif" --scale-b 1e-6 |
  tee "$WORK/cmp.txt"
if [ "${ALL_PEERS:-0}" = 1 ]; then
  echo "== QGIS Heatmap Raw x 3/(pi R^2) vs hotspots (QGIS 3.22 shifts kernels by up to a cell in y)"
  bash "$PEERS/kde_qgis.sh" "$WORK/pts.csv" "$WORK/qgis.tif" 300 50 2>/dev/null
  /usr/bin/python3 "$PEERS/compare_rasters.py" "$WORK/qgis.tif" "$WORK/hotspots.tif" \
    --scale-a "$(awk 'BEGIN { printf "%.17g", 3 / (3.141592653589793 * 300 * 300) }')" --scale-b 1e-6
  echo "== numpy exact reference vs hotspots"
  bash "$PEERS/kde_reference.sh" "$WORK/pts.csv" "$WORK/reference.tif" 300 50 quartic 2>/dev/null
  /usr/bin/python3 "$PEERS/compare_rasters.py" "$WORK/reference.tif" "$WORK/hotspots.tif" --scale-b 1e-6
fi
awk -v tol="$TOL" '$1 == "max_rel" { found = 1; ok = ($2 + 0 <= tol) }
  END { if (!found) { print "no max_rel in the comparison"; exit 1 }
        if (!ok) { print "FAIL: max_rel above " tol; exit 1 }
        print "hotspots kde agrees with GRASS v.kernel within " tol }' "$WORK/cmp.txt"
