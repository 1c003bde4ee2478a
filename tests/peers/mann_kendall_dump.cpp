// SPDX-License-Identifier: MIT
// Prints hotspots' Mann-Kendall results for seeded series, for tests/peers/mann_kendall_vs_r.sh
// to compare with R's cor.test(seq_along(x), x, method = "kendall", exact = FALSE).
// One line per (series, continuity): continuity,n,S,z,p,tau_b,x1 x2 ... (NA for NaN).
#include <cmath>
#include <cstdio>
#include <limits>
#include <vector>

#include "hotspots/stats/mann_kendall.hpp"
#include "support/test_rng.hpp"

int main() {
  hotspots::testing::TestRng rng(1975);
  for (int rep = 0; rep < 60; ++rep) {
    const int n = 3 + static_cast<int>(rng.next() % 58);
    std::vector<double> x(static_cast<std::size_t>(n));
    const int kind = rep % 4;  // 0 continuous, 1 few values (ties), 2 trend + ties, 3 with NaN
    for (int t = 0; t < n; ++t) {
      double v = rng.uniform(-3, 3);
      if (kind == 1) v = std::floor(rng.uniform(0, 4));
      if (kind == 2) v = std::floor(0.15 * t + rng.uniform(0, 3));
      if (kind == 3 && rng.uniform() < 0.15) v = std::numeric_limits<double>::quiet_NaN();
      x[static_cast<std::size_t>(t)] = v;
    }
    for (const bool cc : {false, true}) {
      const hotspots::MannKendallResult r =
          hotspots::mann_kendall(x, {.continuity_correction = cc});
      std::printf("%d,%zu,%.17g,%.17g,%.17g,%.17g,", cc ? 1 : 0, r.n, r.s, r.z, r.p, r.tau_b);
      for (std::size_t t = 0; t < x.size(); ++t) {
        if (t) std::printf(" ");
        if (std::isnan(x[t]))
          std::printf("NA");
        else
          std::printf("%.17g", x[t]);
      }
      std::printf("\n");
    }
  }
  return 0;
}
