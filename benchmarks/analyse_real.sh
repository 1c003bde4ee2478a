#!/usr/bin/env bash
# `hotspots analyse` on the 40 real Leicestershire police.uk months (../shared/data/real): all
# three default groups (asb, violence, all), the 9 districts as boundary, the 611 LSOAs as zones,
# the last 12 months (2021-11..2022-10) against the 12 before. Reports wall time and peak memory
# (/usr/bin/time -v) and the pack's own phase timings.
#   usage: bash benchmarks/analyse_real.sh [build/cli/hotspots]
#   env: DATA (../shared/data/real), WORK (/tmp/hotspots_analyse_real), EXTRA (more options)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
HS="${1:-$ROOT/build/cli/hotspots}"
DATA="${DATA:-$ROOT/../shared/data/real}"
WORK="${WORK:-/tmp/hotspots_analyse_real}"
mkdir -p "$WORK"
mapfile -t months < <(ls "$DATA"/police_uk_*/street/*-leicestershire-street.csv | sort)
echo "months: ${#months[@]} files" >&2
/usr/bin/time -v "$HS" analyse "${months[@]}" \
  --boundary "$DATA/derived/leics_force_lad13.geojson" \
  --zones "$DATA/derived/leics_force_lsoa11_epsg27700.gpkg" --zone-id-field LSOA11CD \
  --zone-name-field LSOA11NM --from 2021-11 --to 2022-10 --overwrite -v ${EXTRA:-} \
  -o "$WORK/pack" 2> "$WORK/stderr.txt"
grep -E "period|grid|incidents, radius|timings" "$WORK/stderr.txt"
grep -E "Elapsed \(wall|Maximum resident" "$WORK/stderr.txt"
