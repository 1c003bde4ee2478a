// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <vector>

namespace hotspots {

/// Options of the Mann–Kendall trend test.
struct MannKendallOptions {
  /// Apply the continuity correction z = (S − sign(S)) / sqrt(Var(S)) (S = 0 gives z = 0), as
  /// ArcGIS (Emerging Hot Spot Analysis, Create Space Time Cube trend) and R's `Kendall` package
  /// (`MannKendall`, which sfdep calls) do. Off: z = S / sqrt(Var(S)), as R's
  /// `cor.test(method = "kendall", exact = FALSE)` does by default (its `continuity = FALSE`).
  bool continuity_correction = true;
};

/// Result of the Mann–Kendall trend test on one series.
struct MannKendallResult {
  /// Number of finite values used (NaN and ±infinity are skipped).
  std::size_t n = 0;
  /// Kendall's S = Σ_{a<b} sign(x_b − x_a) over the finite values in series order.
  double s = 0;
  /// Tie-corrected variance of S under no trend (Kendall 1975):
  /// Var(S) = [n(n−1)(2n+5) − Σ_g t_g(t_g−1)(2t_g+5)] / 18, t_g the size of each group of equal
  /// values. NaN when n < 3.
  double var_s = 0;
  /// Normal score of S (see MannKendallOptions). NaN when n < 3 or Var(S) = 0 (all values equal).
  double z = 0;
  /// Two-sided normal p-value erfc(|z| / √2). NaN where z is NaN.
  double p = 0;
  /// Kendall's tau-b between time order and value, S / sqrt(n0 · (n0 − n1)), n0 = n(n−1)/2,
  /// n1 = Σ_g t_g(t_g−1)/2 (time has no ties): the `estimate` of R's
  /// `cor.test(seq_along(x), x, method = "kendall")` and the `tau` of `Kendall::MannKendall`.
  /// NaN when n < 2 or all values are equal.
  double tau_b = 0;
  /// Kendall's tau-a, S / n0 (ties not adjusted). NaN when n < 2.
  double tau_a = 0;
};

/// Mann–Kendall test for a monotonic trend in a series taken in order (Mann 1945; Kendall 1975),
/// with the tie-corrected variance of S and the normal approximation (no exact small-sample
/// distribution). Non-finite values are skipped (the remaining values keep their order, as if the
/// step were missing). With fewer than three finite values z, p and var_s are NaN.
/// The p-value is two-sided. ArcGIS reports the trend as a z-score and p-value (TREND_Z,
/// TREND_P and a ±1/2/3 TREND_BIN), not tau; sfdep reports Kendall::MannKendall's tau (tau-b)
/// and `sl` (two-sided p with the continuity correction).
/// Cost: O(n²) time (n is a number of time steps, tens to hundreds), O(n log n) for the ties,
/// O(n) memory. Never throws.
[[nodiscard]] MannKendallResult mann_kendall(const std::vector<double>& series,
                                             const MannKendallOptions& options = {});

}  // namespace hotspots
