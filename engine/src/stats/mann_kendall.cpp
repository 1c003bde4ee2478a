// SPDX-License-Identifier: MIT
#include "hotspots/stats/mann_kendall.hpp"

#include "hotspots/stats/fdr.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace hotspots {

MannKendallResult mann_kendall(const std::vector<double>& series,
                               const MannKendallOptions& options) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> x;
  x.reserve(series.size());
  for (const double v : series)
    if (std::isfinite(v)) x.push_back(v);

  MannKendallResult r;
  r.n = x.size();
  const auto n = static_cast<double>(x.size());

  // S: every pair once, later minus earlier. Exact in double (|S| < n² < 2^53).
  double s = 0;
  for (std::size_t a = 0; a < x.size(); ++a)
    for (std::size_t b = a + 1; b < x.size(); ++b) s += (x[b] > x[a]) - (x[b] < x[a]);
  r.s = s;

  // Groups of equal values: Σ t(t−1)(2t+5) for the variance and Σ t(t−1)/2 for tau-b.
  std::vector<double> sorted = x;
  std::sort(sorted.begin(), sorted.end());
  double tie_var = 0;
  double tie_pairs = 0;
  for (std::size_t g = 0; g < sorted.size();) {
    std::size_t h = g + 1;
    while (h < sorted.size() && sorted[h] == sorted[g]) ++h;
    const auto t = static_cast<double>(h - g);
    tie_var += t * (t - 1) * (2 * t + 5);
    tie_pairs += t * (t - 1) / 2;
    g = h;
  }

  const double n0 = n * (n - 1) / 2;
  r.tau_a = x.size() >= 2 ? s / n0 : kNaN;
  const double tau_den = std::sqrt(n0 * (n0 - tie_pairs));
  r.tau_b = (x.size() >= 2 && tau_den > 0) ? s / tau_den : kNaN;

  if (x.size() < 3) {
    r.var_s = r.z = r.p = kNaN;
    return r;
  }
  r.var_s = (n * (n - 1) * (2 * n + 5) - tie_var) / 18;
  if (!(r.var_s > 0)) {
    r.z = r.p = kNaN;
    return r;
  }
  double num = s;
  if (options.continuity_correction) num = s > 0 ? s - 1 : (s < 0 ? s + 1 : 0.0);
  r.z = num / std::sqrt(r.var_s);
  r.p = two_sided_normal_p(r.z);
  return r;
}

}  // namespace hotspots
