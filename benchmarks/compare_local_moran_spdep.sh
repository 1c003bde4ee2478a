#!/usr/bin/env bash
# Local Moran's I of hotspots (engine local_moran, via build/benchmarks/lisa_cells) vs R spdep
# localmoran and localmoran_perm on a REAL sparse grid: police.uk anti-social behaviour in
# Leicestershire, 2021, counted by `hotspots gistar` on a 200 m grid over the force area (cells
# whose centre is inside the boundary), cut to a window of columns/rows (COLS, ROWS), queen
# contiguity between the cells of the window on both sides (spdep: dnearneigh within C·√2 of the
# cell centres, i.e. the 8 around; nb2listw style "W"). Checks:
#   1. I_i == spdep Ii within 1e-12 · max(1, |Ii|). Both divide Σz² by n (spdep mlvar = TRUE); PySAL's Is
#      divides by n − 1, i.e. is (n − 1)/n × these.
#   2. E[I_i], Var[I_i], Z and the two-sided p == spdep localmoran (conditional = TRUE, mlvar =
#      TRUE, alternative = "two.sided", its defaults) within TOL (1e-9, relative for Var).
#   3. Permutation p-values (999 each, different generators, so statistically; spdep 1.2 draws
#      WITH replacement, we without): spdep's "Pr(folded) Sim" is PySAL's fold, which counts
#      ties on one side only; ours counts them on both (local_moran.hpp). So:
#      a. cells with count 0 whose neighbours are all 0 ("empty"): ours must call none
#         significant at 0.05; spdep's count of such "significant LL" cells is printed;
#      b. cells that are not empty and where few draws can tie the observed sum (P(tie) < PTIE,
#         from the k-fold convolution of the counts' distribution): the significant
#         sets at 0.05 must agree on >= AGREE (0.95) of the cells significant on either side
#         (after Monte Carlo noise), and |p - p_spdep| within 4 SD of Monte Carlo noise on >= RHO (0.99) of them.
# usage: compare_local_moran_spdep.sh [HOTSPOTS_BINARY [LISA_CELLS_BINARY]]
#   env: DATA (../shared/data/real), WORK (temp dir), C (200), COLS (120:239), ROWS (100:219),
#        NSIM (999), TOL (1e-9), AGREE (0.95), RHO (0.99), PTIE (0.005)
# exit: 0 agree, 1 disagree or failure, 77 skipped (R + spdep or the data missing).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
HOTSPOTS="${1:-$ROOT/build/cli/hotspots}"
LISA="${2:-$ROOT/build/benchmarks/lisa_cells}"
DATA="${DATA:-$ROOT/../shared/data/real}"
C="${C:-200}"
COLS="${COLS:-120:239}"
ROWS="${ROWS:-100:219}"
NSIM="${NSIM:-999}"
TOL="${TOL:-1e-9}"
AGREE="${AGREE:-0.95}"
RHO="${RHO:-0.99}"

skip() { echo "SKIP: $*" >&2; exit 77; }
[ -x "$HOTSPOTS" ] || { echo "no hotspots binary at $HOTSPOTS" >&2; exit 1; }
[ -x "$LISA" ] || { echo "no lisa_cells binary at $LISA" >&2; exit 1; }
[ -d "$DATA/police_uk_sanjiv576/street" ] || skip "real data not found in $DATA"
command -v Rscript >/dev/null || skip "Rscript not installed (bash ../shared/peers/install.sh)"
Rscript --vanilla -e 'suppressPackageStartupMessages(library(spdep))' >/dev/null 2>&1 ||
  skip "R package spdep not installed (bash ../shared/peers/install.sh)"

if [ -z "${WORK:-}" ]; then
  WORK="$(mktemp -d)"
  trap 'rm -rf "$WORK"' EXIT
fi
mkdir -p "$WORK"

"$HOTSPOTS" gistar "$DATA/police_uk_sanjiv576/street" --crime-type asb --from 2021-01 --to 2021-12 \
  --boundary "$DATA/derived/leics_force_area_from_lad13.geojson" --cell-size "$C" \
  --distance-band $((3 * C)) --permutations 0 --cells "$WORK/cells.csv" --overwrite -q
# cells.csv: cell_id,row,col,x,y,count,...  ->  col,row,count inside the window
awk -F, -v cols="$COLS" -v rows="$ROWS" 'BEGIN { split(cols, c, ":"); split(rows, r, ":") }
  NR == 1 { print "col,row,count"; next }
  $3 >= c[1] && $3 <= c[2] && $2 >= r[1] && $2 <= r[2] { print $3 "," $2 "," $6 }' \
  "$WORK/cells.csv" >"$WORK/counts.csv"
t0=$(date +%s.%N)
"$LISA" "$WORK/counts.csv" "$WORK/hotspots.csv" "$NSIM" 12345
t1=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" -v n="$NSIM" 'BEGIN { printf "hotspots local_moran (%s permutations): %.2f s\n", n, b - a }'

Rscript --vanilla - "$WORK/hotspots.csv" "$NSIM" "$TOL" "$AGREE" "$RHO" <<'RS'
suppressPackageStartupMessages(library(spdep))
a <- commandArgs(trailingOnly = TRUE)
h <- read.csv(a[1])
nsim <- as.integer(a[2]); tol <- as.numeric(a[3]); agree_min <- as.numeric(a[4])
rho_min <- as.numeric(a[5])
bad <- FALSE
check <- function(ok, what) {
  cat(sprintf("%-70s %s\n", what, if (ok) "ok" else "FAIL"))
  if (!ok) bad <<- TRUE
}
xy <- cbind(h$col, h$row)  # cell units: queen = within sqrt(2)
nb <- dnearneigh(xy, 0, sqrt(2) * 1.0001)
check(all(card(nb) == h$n_neighbors), sprintf("queen neighbour counts equal (%d cells, %.0f %% zeros)",
      nrow(h), 100 * mean(h$count == 0)))
lw <- nb2listw(nb, style = "W", zero.policy = TRUE)
t0 <- Sys.time()
lm <- localmoran(h$count, lw, zero.policy = TRUE)
t1 <- Sys.time()
dI <- max(abs(lm[, "Ii"] - h$local_i) / pmax(1, abs(lm[, "Ii"])))
check(dI <= 1e-12, sprintf("I_i: max |hotspots - spdep Ii| / max(1, |Ii|) = %.2g (|I| up to %.1f)", dI, max(abs(h$local_i))))
dE <- max(abs(lm[, "E.Ii"] - h$e_i))
check(dE <= tol, sprintf("E[I_i]: max |d| = %.2g", dE))
dV <- max(abs(lm[, "Var.Ii"] - h$var_i) / pmax(abs(lm[, "Var.Ii"]), 1e-300))
check(dV <= tol, sprintf("Var[I_i]: max relative |d| = %.2g", dV))
dZ <- max(abs(lm[, "Z.Ii"] - h$z_norm))
check(dZ <= tol, sprintf("Z: max |d| = %.2g (|Z| up to %.1f)", dZ, max(abs(h$z_norm))))
dP <- max(abs(lm[, 5] - h$p_norm))
check(dP <= tol, sprintf("two-sided normal p: max |d| = %.2g", dP))
set.seed(1)
t2 <- Sys.time()
lp <- localmoran_perm(h$count, lw, nsim = nsim, zero.policy = TRUE, iseed = 1)
t3 <- Sys.time()
cat(sprintf("spdep localmoran %.2f s, localmoran_perm (nsim %d) %.2f s\n",
            as.numeric(t1 - t0, units = "secs"), nsim, as.numeric(t3 - t2, units = "secs")))
check(max(abs(lp[, "Ii"] - h$local_i) / pmax(1, abs(lp[, "Ii"]))) <= 1e-12, "localmoran_perm Ii equal too")
ps <- lp[, "Pr(folded) Sim"]
lag0 <- sapply(seq_len(nrow(h)), function(i) all(h$count[nb[[i]]] == 0))
empty <- h$count == 0 & lag0
cat(sprintf("empty cells (count 0, all neighbours 0): %d; significant at 0.05: hotspots %d, spdep folded %d\n",
            sum(empty), sum(h$p_sim[empty] <= 0.05), sum(ps[empty] <= 0.05)))
check(sum(h$p_sim[empty] <= 0.05) == 0, "a. no empty cell significant in hotspots")
# Where can draws tie the observed neighbour sum? P(tie) = P(sum of k values drawn from the
# counts = observed sum), the k-fold convolution of the counts' distribution (with replacement,
# as spdep; the exclusion of i and without-replacement change it by O(k/n)). Where P(tie) <
# PTIE (0.005: about 5 of 999 draws) the two folds count the same draws, up to Monte Carlo noise.
ptie_max <- as.numeric(Sys.getenv("PTIE", "0.005"))
pmf <- tabulate(h$count + 1, nbins = max(h$count) + 1) / nrow(h)
conv <- list(pmf)
for (k in 2:max(h$n_neighbors)) conv[[k]] <- convolve(conv[[k - 1]], rev(pmf), type = "open")
obs_sum <- sapply(seq_len(nrow(h)), function(i) sum(h$count[nb[[i]]]))
ptie <- mapply(function(k, s) if (k == 0) 1 else pmax(conv[[k]][s + 1], 0), h$n_neighbors, obs_sum)
clear <- !empty & ptie < ptie_max & h$n_neighbors > 0
sig_h <- h$p_sim <= 0.05 & clear
sig_s <- ps <= 0.05 & clear
either <- sum(sig_h | sig_s)
both <- sum(sig_h & sig_s)
rho <- cor(h$p_sim[clear], ps[clear], method = "spearman")
cat(sprintf("b. %d cells where P(tie) < %g: significant hotspots %d, spdep %d, both %d\n",
            sum(clear), ptie_max, sum(sig_h), sum(sig_s), both))
tied <- !empty & !clear & h$n_neighbors > 0
cat(sprintf("   (the other %d non-empty cells, where ties are likely: significant hotspots %d, spdep %d)\n",
            sum(tied), sum(tied & h$p_sim <= 0.05), sum(tied & ps <= 0.05)))
check(both / max(either, 1) >= agree_min, sprintf("   agreement %.3f >= %.2f", both / max(either, 1), agree_min))
# Monte Carlo noise of two independent estimates of the same p: SD sqrt(2 p (1 - p) / nsim).
pbar <- (h$p_sim[clear] + ps[clear]) / 2
bound <- 4 * sqrt(2 * pbar * (1 - pbar) / nsim) + 2 / (nsim + 1)
within <- mean(abs(h$p_sim[clear] - ps[clear]) <= bound)
cat(sprintf("   Spearman rho of p = %.3f (information: most are at the 1/(nsim+1) floor)\n", rho))
check(within >= rho_min, sprintf("   |p - p_spdep| within 4 SD of MC noise: %.3f of cells >= %.2f", within, rho_min))
if (bad) { cat("DISAGREE\n"); quit(status = 1) }
cat("AGREE\n")
RS
