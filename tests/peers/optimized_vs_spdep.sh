#!/usr/bin/env bash
# `hotspots gistar --optimized` (ArcGIS Optimized Hot Spot Analysis) against R spdep on real
# police.uk data. Two runs:
#   bounded:   Charnwood ASB 2021-11..2022-10, --boundary LAD13NM = 'Charnwood' (every cell whose
#              centre is inside, zeros included);
#   unbounded: force-wide ASB 2022-10, no boundary (only cells holding incidents: isolated cells
#              are locational outliers without neighbours at the first distances).
# For every distance of the Moran's I series (--isa-table) R computes, on the cells of --cells
# (centres x, y and count):
#   I, E[I]      moran.test(count, nb2listw(dnearneigh(xy, 0, d), "W", zero.policy = TRUE),
#                randomisation = TRUE, adjust.n = TRUE)  (n = cells with neighbours, as ArcGIS)
#   Var[I], z    the same where every cell has a neighbour; where some have none, the
#                randomisation variance from spweights.constants() with ArcGIS's kurtosis
#                b2 = n Σz⁴/(Σz²)² over that n (spdep takes the kurtosis over all values)
#   the peak     ArcGIS's rule re-implemented in R (first fall after a rise with z > 1.65)
# and Gi* of the cells at the chosen band: localG(count, nb2listw(include.self(dnearneigh(xy, 0,
# band)), "B")). Tolerances: I, E[I] 1e-10 relative; Var 1e-9 relative; z and gi_z 1e-8.
# usage: optimized_vs_spdep.sh HOTSPOTS_BINARY   env: DATA (default ../shared/data/real)
# exit: 0 agree, 1 disagree or failure, 77 skipped (R/spdep or the data missing; never when
# CI=true).
set -euo pipefail
HOTSPOTS=$1
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DATA="${DATA:-$ROOT/../shared/data/real}"
skip() {
  if [ "${CI:-}" = "true" ]; then echo "FAIL (CI=true, peers required): $*" >&2; exit 1; fi
  echo "SKIP: $*" >&2; exit 77
}
command -v Rscript >/dev/null || skip "Rscript not installed"
Rscript -e 'suppressMessages(library(spdep))' >/dev/null 2>&1 || skip "R package spdep missing"
S="$DATA/police_uk_sanjiv576/street"
LAD="$DATA/derived/leics_force_lad13.geojson"
[ -d "$S" ] && [ -f "$LAD" ] || skip "real data not found in $DATA"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

"$HOTSPOTS" gistar "$S" --crime-type asb --from 2021-11 --to 2022-10 --boundary "$LAD" \
  --boundary-where "LAD13NM = 'Charnwood'" --optimized --permutations 0 \
  --isa-table "$WORK/bounded_isa.csv" --cells "$WORK/bounded_cells.csv" 2>"$WORK/bounded.err"
"$HOTSPOTS" gistar "$S" --crime-type asb --from 2022-10 --to 2022-10 --optimized \
  --permutations 0 --isa-table "$WORK/unbounded_isa.csv" --cells "$WORK/unbounded_cells.csv" \
  2>"$WORK/unbounded.err"
grep -q "distance band" "$WORK/bounded.err" || { cat "$WORK/bounded.err" >&2; exit 1; }

Rscript - "$WORK" <<'R'
suppressMessages(library(spdep))
work <- commandArgs(trailingOnly = TRUE)[1]
bad <- FALSE
rel <- function(a, b) abs(a - b) / max(abs(b), 1e-300)
for (run in c("bounded", "unbounded")) {
  cells <- read.csv(file.path(work, paste0(run, "_cells.csv")))
  isa <- read.csv(file.path(work, paste0(run, "_isa.csv")))
  xy <- cbind(cells$x, cells$y)
  v <- cells$count
  z <- v - mean(v)
  zs <- numeric(nrow(isa))
  worst <- c(I = 0, E = 0, V = 0, z = 0)
  for (k in seq_len(nrow(isa))) {
    d <- isa$Distance[k]
    nb <- dnearneigh(xy, 0, d)
    lw <- nb2listw(nb, style = "W", zero.policy = TRUE)
    mt <- moran.test(v, lw, randomisation = TRUE, zero.policy = TRUE, adjust.n = TRUE,
                     alternative = "two.sided")
    I <- unname(mt$estimate[1]); EI <- unname(mt$estimate[2]); VI <- unname(mt$estimate[3])
    nonb <- sum(card(nb) == 0)
    if (nonb > 0) {
      wc <- spweights.constants(lw, zero.policy = TRUE, adjust.n = TRUE)
      n <- wc$n
      b2 <- n * sum(z^4) / sum(z^2)^2
      VI <- (n * (wc$S1 * (wc$nn - 3 * n + 3) - n * wc$S2 + 3 * wc$S0^2) -
             b2 * (wc$S1 * (wc$nn - n) - 2 * n * wc$S2 + 6 * wc$S0^2)) /
            (wc$n1 * wc$n2 * wc$n3 * wc$S0^2) - EI^2
    }
    zr <- (I - EI) / sqrt(VI)
    zs[k] <- zr
    if (nonb != isa$no_neighbours[k]) {
      cat(run, "d", d, ": cells without neighbours", isa$no_neighbours[k], "R", nonb, "\n"); bad <- TRUE
    }
    worst <- pmax(worst, c(rel(isa$MoransI[k], I), rel(isa$ExpectedI[k], EI),
                           rel(isa$Variance[k], VI), abs(isa$z_score[k] - zr)))
  }
  # ArcGIS's peak rule, re-implemented.
  first <- NA; up <- FALSE
  for (c in seq_len(length(zs) - 1)) {
    dz <- zs[c + 1] - zs[c]
    if (dz > 0) up <- TRUE
    if (dz < 0 && up && zs[c] > 1.65) { first <- c; break }
  }
  ours <- which(grepl("first", isa$peak))
  if (!identical(if (is.na(first)) integer(0) else as.integer(first), ours)) {
    cat(run, ": first peak R", first, "hotspots", ours, "\n"); bad <- TRUE
  }
  cat(sprintf("%s: %d cells, %d distances %.1f..%.1f m; max rel |dI| %.2e, |dE| %.2e, |dVar| %.2e, max |dz| %.2e; first peak %s\n",
              run, nrow(cells), nrow(isa), isa$Distance[1], isa$Distance[nrow(isa)],
              worst["I"], worst["E"], worst["V"], worst["z"],
              if (is.na(first)) "none" else sprintf("%.1f m (z %.3f)", isa$Distance[first], zs[first])))
  if (worst["I"] > 1e-10 || worst["E"] > 1e-10 || worst["V"] > 1e-9 || worst["z"] > 1e-8) bad <- TRUE
  if (!is.na(first)) {
    band <- isa$Distance[first]
    g <- as.numeric(localG(v, nb2listw(include.self(dnearneigh(xy, 0, band * (1 + 1e-9))),
                                       style = "B")))
    dg <- max(abs(g - cells$gi_z), na.rm = TRUE)
    cat(sprintf("%s: Gi* at %.1f m: max |d gi_z| %.2e over %d cells\n", run, band, dg, length(g)))
    if (dg > 1e-8) bad <- TRUE
  }
}
if (bad) quit(status = 1)
R
echo "optimized_vs_spdep: agree"
