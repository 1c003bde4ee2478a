// SPDX-License-Identifier: MIT
#include "hotspots/stats/mann_kendall.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "support/test_rng.hpp"

namespace hotspots {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

TEST(MannKendall, HandWorkedSeriesWithATie) {
  // x = 3, 1, 4, 1, 5 (n = 5; the value 1 twice). Pairs later − earlier:
  //   from 3: −1 +1 −1 +1 = 0; from 1: +1 0 +1 = 2; from 4: −1 +1 = 0; from 1: +1 = 1  → S = 3.
  // Var(S) = [5·4·15 − 2·1·9] / 18 = (300 − 18) / 18 = 282 / 18.
  // z (continuity) = (3 − 1) / sqrt(282/18); z (none) = 3 / sqrt(282/18).
  // tau-b = 3 / sqrt(10 · (10 − 1)) (n0 = 10 pairs, n1 = 1 tied pair); tau-a = 3 / 10.
  const std::vector<double> x{3, 1, 4, 1, 5};
  const MannKendallResult r = mann_kendall(x);
  EXPECT_EQ(r.n, 5u);
  EXPECT_EQ(r.s, 3.0);
  EXPECT_NEAR(r.var_s, 282.0 / 18.0, 1e-13);
  EXPECT_NEAR(r.z, 2.0 / std::sqrt(282.0 / 18.0), 1e-13);
  EXPECT_NEAR(r.z, 0.505291, 1e-6);  // 2 / 3.958114
  EXPECT_NEAR(r.p, std::erfc(r.z / std::sqrt(2.0)), 1e-15);
  EXPECT_NEAR(r.p, 0.613354, 1e-6);  // 2·(1 − Φ(0.505291))
  EXPECT_NEAR(r.tau_b, 3.0 / std::sqrt(90.0), 1e-15);
  EXPECT_NEAR(r.tau_a, 0.3, 1e-15);

  const MannKendallResult raw = mann_kendall(x, {.continuity_correction = false});
  EXPECT_NEAR(raw.z, 3.0 / std::sqrt(282.0 / 18.0), 1e-13);
  EXPECT_NEAR(raw.z, 0.757937, 1e-6);
}

TEST(MannKendall, MonotoneSeriesWithoutTies) {
  // 1..6 rising: S = 15, Var = 6·5·17/18 = 510/18, tau = 1; reversed: S = −15, tau = −1.
  const MannKendallResult up = mann_kendall({1, 2, 3, 4, 5, 6});
  EXPECT_EQ(up.s, 15.0);
  EXPECT_NEAR(up.var_s, 510.0 / 18.0, 1e-13);
  EXPECT_NEAR(up.z, 14.0 / std::sqrt(510.0 / 18.0), 1e-13);
  EXPECT_DOUBLE_EQ(up.tau_b, 1.0);
  const MannKendallResult down = mann_kendall({6, 5, 4, 3, 2, 1});
  EXPECT_EQ(down.s, -15.0);
  EXPECT_NEAR(down.z, -up.z, 1e-15);
  EXPECT_DOUBLE_EQ(down.tau_b, -1.0);
  EXPECT_NEAR(down.p, up.p, 1e-15);
}

TEST(MannKendall, SkipsNaNAndKeepsOrder) {
  // NaN and infinity are dropped: same as the series without them.
  const MannKendallResult with =
      mann_kendall({3, kNaN, 1, 4, std::numeric_limits<double>::infinity(), 1, 5});
  const MannKendallResult without = mann_kendall({3, 1, 4, 1, 5});
  EXPECT_EQ(with.n, 5u);
  EXPECT_EQ(with.s, without.s);
  EXPECT_EQ(with.z, without.z);
  EXPECT_EQ(with.tau_b, without.tau_b);
}

TEST(MannKendall, TooShortOrConstantIsUndefined) {
  const MannKendallResult two = mann_kendall({1, 2, kNaN});
  EXPECT_EQ(two.n, 2u);
  EXPECT_EQ(two.s, 1.0);
  EXPECT_TRUE(std::isnan(two.z));
  EXPECT_TRUE(std::isnan(two.p));
  EXPECT_TRUE(std::isnan(two.var_s));
  EXPECT_DOUBLE_EQ(two.tau_b, 1.0);
  const MannKendallResult none = mann_kendall({});
  EXPECT_EQ(none.n, 0u);
  EXPECT_TRUE(std::isnan(none.tau_b));
  const MannKendallResult flat = mann_kendall({2, 2, 2, 2});
  EXPECT_EQ(flat.s, 0.0);
  EXPECT_EQ(flat.var_s, 0.0);
  EXPECT_TRUE(std::isnan(flat.z));
  EXPECT_TRUE(std::isnan(flat.tau_b));
}

// Independent brute force: S and the tie groups counted from all pairs (a tie group of size t
// contributes t(t−1)/2 tied pairs; the variance term recovered per value by counting equals).
TEST(MannKendall, MatchesPairwiseBruteForceOnRandomSeriesWithTies) {
  hotspots::testing::TestRng rng(14);
  for (int rep = 0; rep < 50; ++rep) {
    const int n = 3 + static_cast<int>(rng.next() % 40);
    std::vector<double> x(static_cast<std::size_t>(n));
    for (double& v : x) v = std::floor(rng.uniform(0, 6));  // many ties
    double s = 0;
    double tied_pairs = 0;
    for (int a = 0; a < n; ++a)
      for (int b = a + 1; b < n; ++b) {
        s += x[b] > x[a] ? 1 : (x[b] < x[a] ? -1 : 0);
        tied_pairs += x[b] == x[a];
      }
    // Σ t(t−1)(2t+5) from each value's multiplicity: Σ_values (t−1)(2t+5) counts each group t
    // times.
    double tie_var = 0;
    for (int a = 0; a < n; ++a) {
      double t = 0;
      for (int b = 0; b < n; ++b) t += x[b] == x[a];
      tie_var += (t - 1) * (2 * t + 5);
    }
    const double nn = n;
    const double var = (nn * (nn - 1) * (2 * nn + 5) - tie_var) / 18;
    const MannKendallResult r = mann_kendall(x);
    ASSERT_EQ(r.s, s) << rep;
    ASSERT_NEAR(r.var_s, var, 1e-9 * var) << rep;
    if (var > 0) {
      const double num = s > 0 ? s - 1 : (s < 0 ? s + 1 : 0);
      EXPECT_NEAR(r.z, num / std::sqrt(var), 1e-12) << rep;
    }
    const double n0 = nn * (nn - 1) / 2;
    if (n0 > tied_pairs) {
      EXPECT_NEAR(r.tau_b, s / std::sqrt(n0 * (n0 - tied_pairs)), 1e-12) << rep;
    }
  }
}

}  // namespace
}  // namespace hotspots
