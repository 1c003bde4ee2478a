#!/usr/bin/env bash
# hotspots' Mann-Kendall (engine/src/stats/mann_kendall.cpp) against R's
# cor.test(seq_along(x), x, method = "kendall", exact = FALSE, continuity = FALSE/TRUE) on 60
# seeded series of 3..60 steps, continuous, with many ties, with a trend and ties, and with NaN
# (R drops the incomplete pairs, hotspots skips NaN: the same thing). Compared: z (R's
# `statistic`), two-sided p, tau-b (R's `estimate`) and S (R: the sum of pair signs), all to
# 1e-12 absolute. R's variance has the general two-sided tie terms; with time untied they reduce
# to Kendall (1975)'s formula that hotspots uses, so agreement is expected to rounding.
# usage: mann_kendall_vs_r.sh MANN_KENDALL_DUMP_BINARY
# exit: 0 agree, 1 disagree or failure, 77 skipped (Rscript or its stats package missing).
set -euo pipefail
DUMP=$1
skip() { echo "SKIP: $*" >&2; exit 77; }
command -v Rscript >/dev/null || skip "Rscript not installed (bash /work/shared/peers/install.sh)"
Rscript -e 'stopifnot(exists("cor.test"))' >/dev/null 2>&1 || skip "R's stats package not usable"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
"$DUMP" > "$WORK/mk.csv"
Rscript - "$WORK/mk.csv" <<'R'
args <- commandArgs(trailingOnly = TRUE)
lines <- readLines(args[1])
worst <- c(z = 0, p = 0, tau = 0, S = 0)
for (ln in lines) {
  f <- strsplit(ln, ",")[[1]]
  cc <- f[1] == "1"
  ours <- as.numeric(f[3:6]); names(ours) <- c("S", "z", "p", "tau")
  x <- suppressWarnings(as.numeric(strsplit(f[7], " ")[[1]]))
  t <- seq_along(x)
  r <- suppressWarnings(cor.test(t, x, method = "kendall", exact = FALSE, continuity = cc))
  ok <- !is.na(x)
  xs <- x[ok]
  S <- sum(sign(outer(xs, xs, "-"))[lower.tri(diag(length(xs)))])  # x_b - x_a for b > a
  d <- abs(c(z = unname(r$statistic) - ours["z"], p = r$p.value - ours["p"],
             tau = unname(r$estimate) - ours["tau"], S = S - ours["S"]))
  names(d) <- names(worst)
  worst <- pmax(worst, d)
}
cat(sprintf("mann_kendall vs R cor.test: %d comparisons, max |diff| z %.3g, p %.3g, tau %.3g, S %.3g\n",
            length(lines), worst["z"], worst["p"], worst["tau"], worst["S"]))
if (any(worst > 1e-12)) quit(status = 1)
R
