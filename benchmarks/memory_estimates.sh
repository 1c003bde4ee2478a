#!/usr/bin/env bash
# Estimated peak memory (printed by -v before anything is allocated) against the measured peak
# RSS (/usr/bin/time) of `gistar`, `emerging` and `analyse` on the real Leicestershire police.uk
# months (../shared/data/real, 40 files): square cells with and without local Moran's I, hexagons
# with their band lists, k nearest neighbours, zones, the emerging cube with and without the
# sensitivity table, and the force pack at three cell sizes.
#   usage: bash benchmarks/memory_estimates.sh [build/cli/hotspots]
#   env: DATA (../shared/data/real), WORK (/tmp/hotspots_memory_estimates), ONLY (a regex of
#        case names)
# Prints one row per case: estimate MB, measured MB, estimate / measured, wall s.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
HS="${1:-$ROOT/build/cli/hotspots}"
DATA="${DATA:-$ROOT/../shared/data/real}"
WORK="${WORK:-/tmp/hotspots_memory_estimates}"
ONLY="${ONLY:-.}"
mkdir -p "$WORK"
mapfile -t months < <(ls "$DATA"/police_uk_*/street/*-leicestershire-street.csv | sort)
FORCE="$DATA/derived/leics_force_area_from_lad13.geojson"
LAD="$DATA/derived/leics_force_lad13.geojson"
LSOA="$DATA/derived/leics_force_lsoa11_epsg27700.gpkg"

printf '%-44s %9s %9s %7s %7s\n' case estimate_MB measured_MB ratio wall_s
run() {
  local name=$1
  shift
  [[ "$name" =~ $ONLY ]] || return 0
  rm -rf "$WORK/$name" && mkdir -p "$WORK/$name"
  local rc=0
  (cd "$WORK/$name" && /usr/bin/time -f "%e %M" -o time.txt "$HS" "$@" -v --overwrite \
    2> stderr.txt) || rc=$?
  local est wall rss
  est=$(grep -oE "estimated peak memory [0-9]+ MB" "$WORK/$name/stderr.txt" | tail -n 1 |
    grep -oE "[0-9]+" || echo 0)
  read -r wall rss < <(tail -n 1 "$WORK/$name/time.txt")
  awk -v n="$name" -v e="$est" -v m="$rss" -v w="$wall" -v rc="$rc" 'BEGIN {
    mb = m / 1024 * 1.048576;  # KiB -> MB (1e6 bytes), as the estimates
    printf "%-44s %9.0f %9.0f %7.2f %7.2f%s\n", n, e, mb, e / mb, w, rc ? "  (exit " rc ")" : "" }'
}

# gistar: 40 months, every crime type (~400 k incidents)
run gistar_square50_lisa_clusters_z gistar "${months[@]}" --boundary "$FORCE" --cell-size 50 \
  --cells cells.csv --cells-subset significant --clusters clusters.gpkg --zscores z.tif
run gistar_square25_zscores gistar "${months[@]}" --boundary "$FORCE" --cell-size 25 \
  --zscores z.tif
run gistar_square10_lisa_city gistar "${months[@]}" --cell-size 10 \
  --extent 455000,297000,465000,310000 --cells cells.csv --cells-subset significant
run gistar_hex100_band_lisa gistar "${months[@]}" --boundary "$FORCE" --grid hex \
  --cell-size 100 --cells cells.gpkg --cells-subset significant
run gistar_hex50_band gistar "${months[@]}" --boundary "$FORCE" --grid hex --cell-size 50 \
  --permutations 0 --cells cells.gpkg --cells-subset significant
run gistar_square100_knn30_lisa gistar "${months[@]}" --boundary "$FORCE" --cell-size 100 \
  --knn 30 --cells cells.csv --cells-subset significant
run gistar_lsoa_zones gistar "${months[@]}" --zones "$LSOA" --cells zones.gpkg
# emerging: the space-time cube (35 months without gaps, 2019-12..2022-10)
SPAN=(--from 2019-12 --to 2022-10)
run emerging_hex250_asb_sensitivity emerging "${months[@]}" "${SPAN[@]}" --crime-type asb \
  --boundary "$FORCE" --grid hex --cell-size 250 -o out
run emerging_square50_all emerging "${months[@]}" "${SPAN[@]}" --boundary "$FORCE" \
  --cell-size 50 --no-sensitivity -o out
run emerging_square50_all_sensitivity emerging "${months[@]}" "${SPAN[@]}" --boundary "$FORCE" \
  --cell-size 50 -o out
run emerging_square100_all_allunits emerging "${months[@]}" "${SPAN[@]}" --boundary "$FORCE" \
  --cell-size 100 --all-units --no-sensitivity -o out
# analyse: the force pack (benchmarks/analyse_real.sh's command) at three cell sizes
for cell in 200 100 50; do
  run "analyse_force_pack_${cell}m" analyse "${months[@]}" --boundary "$LAD" \
    --zones "$LSOA" --zone-id-field LSOA11CD --zone-name-field LSOA11NM \
    --from 2021-11 --to 2022-10 --cell-size "$cell" --radius 300 -o pack
done
