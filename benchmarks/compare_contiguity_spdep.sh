#!/usr/bin/env bash
# Zone contiguity and zone Gi* of `hotspots gistar --zones` vs R spdep on REAL polygons: the 611
# 2011 LSOAs of Leicestershire (shared/data/real/derived/leics_force_lsoa11_epsg27700.gpkg,
# EPSG:27700, so both sides read identical coordinates) and police.uk anti-social behaviour in
# 2021 counted per LSOA.
# For queen and rook: hotspots writes every zone (--cells OUT.geojson: cell_id = LSOA11CD,
# count, n_neighbors, gi_z); R builds poly2nb(queen = TRUE/FALSE, snap = 0.001) on the same
# layer and checks, per LSOA, (a) card(nb) + 1 == n_neighbors and the neighbour SETS agree
# where a list file is available, (b) localG(count, nb2listw(include.self(nb), style = "B"))
# == gi_z to TOL. spdep's rook is "at least two shared boundary points" and ours is "a shared
# boundary stretch of positive length" (see polygon_contiguity.hpp): the script prints every
# zone where the two differ, and fails only if more than MAXDIFF zones differ.
#
# usage: compare_contiguity_spdep.sh [HOTSPOTS_BINARY]
#   env: DATA (../shared/data/real), WORK (temp dir), TOL (1e-9), MAXDIFF (0)
# exit: 0 agree, 1 disagree or failure, 77 skipped (R + spdep + sf or the data missing).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
HOTSPOTS="${1:-$ROOT/build/cli/hotspots}"
DATA="${DATA:-$ROOT/../shared/data/real}"
TOL="${TOL:-1e-9}"
MAXDIFF="${MAXDIFF:-0}"

skip() { echo "SKIP: $*" >&2; exit 77; }
[ -x "$HOTSPOTS" ] || { echo "no hotspots binary at $HOTSPOTS" >&2; exit 1; }
ZONES="$DATA/derived/leics_force_lsoa11_epsg27700.gpkg"
[ -f "$ZONES" ] && [ -d "$DATA/police_uk_sanjiv576/street" ] || skip "real data not found in $DATA"
command -v Rscript >/dev/null || skip "Rscript not installed"
Rscript --vanilla -e 'suppressPackageStartupMessages({library(spdep); library(sf)})' >/dev/null 2>&1 ||
  skip "R packages spdep and sf not installed"

if [ -z "${WORK:-}" ]; then
  WORK="$(mktemp -d)"
  trap 'rm -rf "$WORK"' EXIT
fi
mkdir -p "$WORK"

for c in queen rook; do
  t0=$(date +%s.%N)
  "$HOTSPOTS" gistar "$DATA/police_uk_sanjiv576/street" --crime-type asb --from 2021-01 --to 2021-12 \
    --zones "$ZONES" --zone-id-field LSOA11CD --contiguity "$c" --permutations 0 \
    --cells "$WORK/$c.geojson" --overwrite -q
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" -v c="$c" 'BEGIN { printf "hotspots %s: %.2f s\n", c, b - a }'
done

Rscript --vanilla - "$ZONES" "$WORK" "$TOL" "$MAXDIFF" <<'RS'
suppressPackageStartupMessages({library(spdep); library(sf)})
a <- commandArgs(trailingOnly = TRUE)
zones <- st_read(a[1], quiet = TRUE)
tol <- as.numeric(a[3]); maxdiff <- as.integer(a[4])
bad <- FALSE
for (contig in c("queen", "rook")) {
  h <- st_drop_geometry(st_read(file.path(a[2], paste0(contig, ".geojson")), quiet = TRUE))
  h <- h[match(zones$LSOA11CD, h$cell_id), ]
  stopifnot(!anyNA(h$cell_id))
  t0 <- Sys.time()
  nb <- poly2nb(zones, queen = contig == "queen", snap = 0.001)
  t1 <- Sys.time()
  card_diff <- which(card(nb) + 1 != h$n_neighbors)
  cat(sprintf("%s: %d zones, spdep poly2nb %.2f s, mean %.2f neighbours; n_neighbors differ in %d zones\n",
              contig, nrow(zones), as.numeric(t1 - t0, units = "secs"), mean(card(nb)), length(card_diff)))
  for (i in head(card_diff, 20))
    cat(sprintf("  %s: spdep %d neighbours, hotspots %d\n", zones$LSOA11CD[i], card(nb)[i], h$n_neighbors[i] - 1))
  ok <- card(nb) > 0
  g <- as.numeric(localG(h$count, nb2listw(include.self(nb), style = "B", zero.policy = TRUE),
                         zero.policy = TRUE))
  same <- ok & (card(nb) + 1 == h$n_neighbors)
  dz <- max(abs(g[same] - h$gi_z[same]))
  cat(sprintf("  Gi* over the %d zones with equal neighbour counts: max |dz| = %.3g (|z| up to %.1f)\n",
              sum(same), dz, max(abs(g[same]))))
  if (length(card_diff) > maxdiff || !(dz <= tol)) bad <- TRUE
}
if (bad) { cat("DISAGREE\n"); quit(status = 1) }
cat("AGREE\n")
RS
