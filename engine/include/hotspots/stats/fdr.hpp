// SPDX-License-Identifier: MIT
#pragma once

#include <vector>

namespace hotspots {

/// Two-sided p-value of z under the standard normal: p = erfc(|z| / √2). NaN where z is NaN.
[[nodiscard]] double two_sided_normal_p(double z);

/// ArcGIS Gi_Bin without correction: sign(z) × (3, 2, 1) for p <= 0.01, 0.05, 0.10, else 0
/// (also for NaN p and z = 0).
[[nodiscard]] int confidence_bin(double z, double p);

/// Benjamini–Hochberg adjusted p-values (Benjamini & Hochberg 1995), identical to R's
/// `p.adjust(p, method = "BH")`: with the m non-NaN p-values ranked ascending, p_(1) <= … <=
/// p_(m),
///
///   p̃_(i) = min(1, min_{j >= i} (m / j) · p_(j))
///
/// computed as R does (ranked descending, cumulative minimum of (m / j) · p), so ties get equal
/// adjusted values. NaN entries stay NaN and are not counted in m (R's default na.rm-like
/// handling of NA). Output is in the input order.
/// Throws InvalidArgument if a p-value is outside [0, 1] (NaN is allowed).
/// Cost: O(m log m) time, O(m) memory.
[[nodiscard]] std::vector<double> bh_adjust(const std::vector<double>& p);

/// Confidence bins with the False Discovery Rate correction as ArcGIS Hot Spot Analysis applies it
/// (its "Apply False Discovery Rate (FDR) Correction" option; Benjamini & Hochberg 1995): for each
/// confidence level 90/95/99 % (alpha = 0.10/0.05/0.01), rank the m non-NaN p-values ascending,
/// find the largest k with p_(k) <= (k / m) · alpha, and call significant at that level every
/// location with p <= p_(k) (none if no k qualifies). The bin is sign(z) × the highest level met
/// (3 for 99 %, 2 for 95 %, 1 for 90 %), else 0; NaN p or z, and z = 0, give 0.
/// Only the bins change: z and p are reported uncorrected, as ArcGIS does. Equivalent to
/// bh_adjust(p)[i] <= alpha (up to rounding at exact ties with the critical line).
/// Throws InvalidArgument if z and p differ in length or a p-value is outside [0, 1].
/// Cost: O(m log m) time, O(m) memory.
[[nodiscard]] std::vector<int> fdr_bins(const std::vector<double>& z, const std::vector<double>& p);

}  // namespace hotspots
