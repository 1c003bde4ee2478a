#!/usr/bin/env bash
# Gi* of `hotspots gistar` vs R spdep localG on a REAL grid: police.uk anti-social behaviour in
# Leicestershire, 2021 (12 months, about 10,100 incidents), counted on a 200 m grid over the
# force area (cells whose centre is inside the boundary: about 63,800), 600 m distance band.
# Both sides use the same cells: hotspots writes every study-area cell (--cells OUT.csv), its
# counts are handed to the shared peer script gistar_spdep.sh (dnearneigh + include.self +
# nb2listw(style = "B") + localG), and compare_gistar.py joins on (col, row) and checks
# max |dz| <= TOL. Cells outside the boundary are absent from both (not zeros).
#
# usage: compare_gistar_spdep.sh [HOTSPOTS_BINARY]
#   env: PEERS (default ../shared/peers beside the repo), DATA (../shared/data/real),
#        WORK (a fresh temp dir), C (200), D (600), TOL (1e-9), MONTHS_FROM/MONTHS_TO (2021-01/12)
# exit: 0 agree, 1 disagree or failure, 77 skipped (R with spdep, the peer scripts or the data
#       are missing: the peers are optional, so CI skips too).
# Measured (2 cores, spdep 1.2-7): 63,782 cells, mean 28.6 neighbours, max |dz| = 4.3e-14 with
# |z| up to 64.6; hotspots 0.8 s for the whole command, spdep 11 s (9 s building the weights).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
HOTSPOTS="${1:-$ROOT/build/cli/hotspots}"
PEERS="${PEERS:-$ROOT/../shared/peers}"
DATA="${DATA:-$ROOT/../shared/data/real}"
C="${C:-200}"
D="${D:-600}"
TOL="${TOL:-1e-9}"
FROM="${MONTHS_FROM:-2021-01}"
TO="${MONTHS_TO:-2021-12}"

skip() { echo "SKIP: $*" >&2; exit 77; }
[ -x "$HOTSPOTS" ] || { echo "no hotspots binary at $HOTSPOTS" >&2; exit 1; }
[ -f "$PEERS/gistar_spdep.sh" ] && [ -f "$PEERS/compare_gistar.py" ] || skip "peer scripts not found in $PEERS"
[ -d "$DATA/police_uk_sanjiv576/street" ] || skip "real data not found in $DATA"
command -v Rscript >/dev/null || skip "Rscript not installed (bash $PEERS/install.sh)"
Rscript --vanilla -e 'suppressPackageStartupMessages(library(spdep))' >/dev/null 2>&1 ||
  skip "R package spdep not installed (bash $PEERS/install.sh)"
PY="${PY:-/usr/bin/python3}"
"$PY" -c 'import numpy' 2>/dev/null || skip "numpy missing for $PY"

if [ -z "${WORK:-}" ]; then
  WORK="$(mktemp -d)"
  trap 'rm -rf "$WORK"' EXIT
fi
mkdir -p "$WORK"

t0=$(date +%s.%N)
"$HOTSPOTS" gistar "$DATA/police_uk_sanjiv576/street" --crime-type asb --from "$FROM" --to "$TO" \
  --boundary "$DATA/derived/leics_force_area_from_lad13.geojson" --cell-size "$C" \
  --distance-band "$D" --permutations 0 --cells "$WORK/cells.csv" --overwrite -q
t1=$(date +%s.%N)
# cells.csv: cell_id,row,col,x,y,count,gi_z,...  ->  the peers' col,row,count[,gistar]
awk -F, 'NR == 1 { print "col,row,count"; next } { print $3 "," $2 "," $6 }' "$WORK/cells.csv" >"$WORK/counts.csv"
awk -F, 'NR == 1 { print "col,row,count,gistar"; next } { print $3 "," $2 "," $6 "," $7 }' "$WORK/cells.csv" >"$WORK/hotspots.csv"
bash "$PEERS/gistar_spdep.sh" "$WORK/counts.csv" "$WORK/spdep.csv" "$C" "$D"
t2=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN { printf "wall s: hotspots %.2f, spdep %.2f\n", b - a, c - b }'
"$PY" "$PEERS/compare_gistar.py" "$WORK/hotspots.csv" "$WORK/spdep.csv" --tol "$TOL"
