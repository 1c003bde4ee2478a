#!/usr/bin/env bash
# `hotspots gistar --zones --value-field` (Gi* and local Moran's I on the zones' own numbers)
# against R spdep on the Columbus crime data shipped in Debian's R spData (49 neighbourhoods,
# CRIME = residential burglaries and vehicle thefts per 1,000 households). The shapefile declares
# no CRS: R assigns EPSG:27700 to its arbitrary coordinates (contiguity does not depend on scale)
# and writes a GeoPackage. Compared per zone (POLYID), to 1e-9 absolute:
#   gi_z        vs localG(CRIME, nb2listw(include.self(poly2nb(columbus)), style = "B"))
#   lisa_i      vs localmoran(CRIME, nb2listw(poly2nb(columbus), style = "W"))[, "Ii"]
#               (hotspots' local Moran is row-standardised, self excluded: style "W")
#   n_neighbors vs card(poly2nb) + 1 (self included)
# for queen and rook contiguity; then CRIME − mean(CRIME) (negative values) for queen, where Gi*
# and local Moran's I must be unchanged (both are shift-invariant) and R agrees again.
# usage: values_vs_spdep.sh HOTSPOTS_BINARY
# exit: 0 agree, 1 disagree or failure, 77 skipped (R, sf or spdep/spData missing; never when
# CI=true: the CI machine installs them).
set -euo pipefail
HOTSPOTS=$1
skip() {
  if [ "${CI:-}" = "true" ]; then echo "FAIL (CI=true, peers required): $*" >&2; exit 1; fi
  echo "SKIP: $*" >&2; exit 77
}
command -v Rscript >/dev/null || skip "Rscript not installed"
Rscript -e 'suppressMessages({library(sf); library(spdep)}); stopifnot(nzchar(system.file("shapes/columbus.shp", package = "spData")))' \
  >/dev/null 2>&1 || skip "R packages sf, spdep or spData (columbus) missing"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

Rscript - "$WORK" <<'R'
suppressMessages({library(sf); library(spdep)})
work <- commandArgs(trailingOnly = TRUE)[1]
col <- st_read(system.file("shapes/columbus.shp", package = "spData"), quiet = TRUE)
st_crs(col) <- 27700
col$SHIFTED <- col$CRIME - mean(col$CRIME)
st_write(col[, c("POLYID", "CRIME", "SHIFTED")], file.path(work, "columbus.gpkg"), quiet = TRUE)
for (q in c(TRUE, FALSE)) {
  nb <- poly2nb(col, queen = q)
  for (field in c("CRIME", "SHIFTED")) {
    x <- col[[field]]
    g <- as.numeric(localG(x, nb2listw(include.self(nb), style = "B")))
    lm <- localmoran(x, nb2listw(nb, style = "W"))
    write.csv(data.frame(POLYID = col$POLYID, gi_z = g, lisa_i = as.numeric(lm[, "Ii"]),
                         n_neighbors = card(nb) + 1L),
              file.path(work, sprintf("r_%s_%s.csv", if (q) "queen" else "rook", field)),
              row.names = FALSE)
  }
}
R

for run in queen:CRIME rook:CRIME queen:SHIFTED; do
  contiguity=${run%%:*}
  field=${run##*:}
  "$HOTSPOTS" gistar --zones "$WORK/columbus.gpkg" --zone-id-field POLYID --value-field "$field" \
    --contiguity "$contiguity" --contiguity-snap 0 --cells "$WORK/h_${contiguity}_$field.gpkg" -q
done

Rscript - "$WORK" <<'R'
suppressMessages(library(sf))
work <- commandArgs(trailingOnly = TRUE)[1]
bad <- FALSE
for (run in c("queen_CRIME", "rook_CRIME", "queen_SHIFTED")) {
  r <- read.csv(file.path(work, sprintf("r_%s.csv", run)))
  h <- st_drop_geometry(st_read(file.path(work, sprintf("h_%s.gpkg", run)), quiet = TRUE))
  m <- merge(r, h, by.x = "POLYID", by.y = "cell_id", suffixes = c(".r", ".h"))
  stopifnot(nrow(m) == 49)
  dz <- max(abs(m$gi_z.r - m$gi_z.h))
  di <- max(abs(m$lisa_i.r - m$lisa_i.h))
  dn <- sum(m$n_neighbors.r != m$n_neighbors.h)
  cat(sprintf("columbus %-13s: 49 zones, max |diff| gi_z %.3g, lisa_i %.3g; n_neighbors differ in %d\n",
              run, dz, di, dn))
  if (!(dz <= 1e-9 && di <= 1e-9 && dn == 0)) bad <- TRUE
}
if (bad) quit(status = 1)
R
