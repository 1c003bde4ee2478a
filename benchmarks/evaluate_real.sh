#!/usr/bin/env bash
# `hotspots evaluate` on the real Leicestershire police.uk months (../shared/data/real, see its
# SOURCES.md): all 40 months (2018-10..2019-02 and 2019-12..2022-10; 2019-03..11 are missing),
# Anti-social behaviour, the force area (derived/leics_force_area_from_lad13.geojson), 100 m
# cells, six methods: exact quartic KDE at 150/300/600 m, Gi* (band 500 m), training counts and
# last month's counts. Every month's file holds some rows without coordinates: --skip-bad-rows
# is not needed (they are counted, not errors).
#
# With --train 12 --test 1 the origins whose windows touch the 2019-03..11 gap are skipped,
# leaving 23 (2020-12..2022-10); TRAIN=11 gives 24 (2020-11..2022-10).
# Prints the summary table, the phase timings (-v), skipped origins, and /usr/bin/time -v's wall
# time and peak RSS (the whole stderr is kept in $OUT.time.txt).
#
# usage: evaluate_real.sh [HOTSPOTS_BINARY]   env: DATA (../shared/data/real), TRAIN (12),
#        OUT (/tmp/hotspots_evaluate_real)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
HOTSPOTS="${1:-$ROOT/build/cli/hotspots}"
DATA="${DATA:-$ROOT/../shared/data/real}"
TRAIN="${TRAIN:-12}"
OUT="${OUT:-/tmp/hotspots_evaluate_real}"
[ -d "$DATA/police_uk_sanjiv576" ] || { echo "no real data in $DATA" >&2; exit 77; }
/usr/bin/time -v "$HOTSPOTS" evaluate \
  "$DATA"/police_uk_mgsf08m002/street/*-leicestershire-street.csv \
  "$DATA"/police_uk_sanjiv576/street \
  --crime-type asb --boundary "$DATA/derived/leics_force_area_from_lad13.geojson" \
  --train "$TRAIN" --test 1 --cell-size 100 \
  --methods kde:radius=150,kde:radius=300,kde:radius=600,gistar:band=500,counts,last \
  --area-percent 0.5,1,2,5 -o "$OUT" --overwrite --progress -v 2> "$OUT.time.txt" || {
  cat "$OUT.time.txt" >&2
  exit 1
}
grep -E "^timings:|Elapsed|Maximum resident|skipped|not used|rows used" "$OUT.time.txt" >&2 || true
