// SPDX-License-Identifier: MIT
#include "hotspots/stats/fdr.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "hotspots/core/error.hpp"

namespace hotspots {
namespace {

using ::testing::HasSubstr;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

TEST(Fdr, BhAdjustMatchesHandWorkedPAdjust) {
  // R: p.adjust(c(0.01, 0.02, 0.03, 0.04, 0.05, 0.5), "BH"). m = 6, ranks 1..6:
  //   (6/1)·0.01 = 0.06, (6/2)·0.02 = 0.06, (6/3)·0.03 = 0.06, (6/4)·0.04 = 0.06,
  //   (6/5)·0.05 = 0.06, (6/6)·0.5 = 0.5;
  // cumulative minimum from the largest rank down: 0.5, 0.06, 0.06, 0.06, 0.06, 0.06.
  const std::vector<double> adj = bh_adjust({0.01, 0.02, 0.03, 0.04, 0.05, 0.5});
  const std::vector<double> want{0.06, 0.06, 0.06, 0.06, 0.06, 0.5};
  ASSERT_EQ(adj.size(), want.size());
  // 1e-15: (m/i)·p rounds differently for each rank (0.06 is not a binary fraction).
  for (std::size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(adj[i], want[i], 1e-15) << i;
}

TEST(Fdr, BhAdjustIsStepUpWithTiesAndIgnoresNaN) {
  // p.adjust(c(0.04, NA, 0.001, 0.04, 0.9, 0.03), "BH"): NA stays NA and m = 5.
  // Ascending: 0.001 (rank 1), 0.03 (2), 0.04 (3), 0.04 (4), 0.9 (5).
  //   (5/1)·0.001 = 0.005, (5/2)·0.03 = 0.075, (5/3)·0.04 = 0.0667, (5/4)·0.04 = 0.05, 0.9.
  // Cumulative minimum from rank 5 down: 0.9, 0.05, 0.05, 0.05, 0.005 — so 0.03 is lifted to
  // 0.05 by the larger p behind it (step-up), and the tied 0.04s agree.
  const std::vector<double> adj = bh_adjust({0.04, kNaN, 0.001, 0.04, 0.9, 0.03});
  EXPECT_NEAR(adj[0], 0.05, 1e-15);
  EXPECT_TRUE(std::isnan(adj[1]));
  EXPECT_NEAR(adj[2], 0.005, 1e-15);
  EXPECT_NEAR(adj[3], 0.05, 1e-15);
  EXPECT_NEAR(adj[4], 0.9, 1e-15);
  EXPECT_NEAR(adj[5], 0.05, 1e-15);
  EXPECT_TRUE(bh_adjust({}).empty());
}

TEST(Fdr, ArcGisStyleBinsHandWorked) {
  // m = 10 p-values (one NaN location does not count), ranked ascending with their z signs:
  //   k:   1       2      3      4      5     6      7      8    9    10
  //   p:   0.0005  0.004  0.012  0.022  0.03  0.065  0.068  0.2  0.5  0.8
  // 99 % (alpha 0.01, line 0.001·k): k=1 0.0005 <= 0.001 yes; k>=2 e.g. 0.004 > 0.002 no
  //   → critical p 0.0005.
  // 95 % (line 0.005·k): k=3 0.012 <= 0.015 yes; k=4 0.022 > 0.020, k=5 0.03 > 0.025,
  //   k=6 0.065 > 0.03, k=7 0.068 > 0.035, rest larger → largest k = 3, critical 0.012.
  // 90 % (line 0.01·k): k=5 0.03 <= 0.05 yes; k=6 0.065 > 0.06 NO but k=7 0.068 <= 0.07 yes;
  //   k=8 0.2 > 0.08, k=9, k=10 no → largest k = 7, critical 0.068 (step-up: 0.065 is in).
  // Bins: 0.0005 → 3; 0.004, 0.012 → 2; 0.022, 0.03, 0.065, 0.068 → 1; others 0.
  // Uncorrected (GiStarResult::bin) they would be 3, 3, 2, 2, 2, 1, 1, 0, 0, 0.
  const std::vector<double> p{0.2, 0.022, 0.0005, 0.8, 0.068, kNaN, 0.004, 0.03, 0.5, 0.065, 0.012};
  const std::vector<double> z{1.3, -2.3, 3.5, 0.25, 1.8, 2.0, -2.9, 2.2, -0.7, -1.85, 2.5};
  EXPECT_EQ(fdr_bins(z, p), (std::vector<int>{0, -1, 3, 0, 1, 0, -2, 1, 0, -1, 2}));
}

TEST(Fdr, BinsAgreeWithAdjustedPValues) {
  // Property: level >= L exactly when the BH-adjusted p <= alpha_L (no ties with the critical
  // line in this data: the p-values are irrational-looking).
  std::vector<double> p, z;
  for (int i = 0; i < 500; ++i) {
    const double u = std::fmod(std::sqrt(2.0) * (i + 1) * (i + 1), 1.0);  // equidistributed
    p.push_back(i % 7 == 0 ? u * 0.003 : u);                              // some true signals
    z.push_back(i % 3 == 0 ? -1.0 : 1.0);
  }
  const std::vector<int> bins = fdr_bins(z, p);
  const std::vector<double> adj = bh_adjust(p);
  int significant = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const int level = adj[i] <= 0.01 ? 3 : adj[i] <= 0.05 ? 2 : adj[i] <= 0.10 ? 1 : 0;
    EXPECT_EQ(bins[i], z[i] > 0 ? level : -level) << i;
    significant += level > 0;
  }
  EXPECT_GT(significant, 0);  // the comparison is not vacuous
}

TEST(Fdr, RejectsBadInputWithMessages) {
  try {
    (void)bh_adjust({0.5, 1.5});
    ADD_FAILURE();
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("bh_adjust: p[1] = 1.5 is not a probability in [0, 1]"));
  }
  EXPECT_THROW((void)bh_adjust({-0.1}), InvalidArgument);
  try {
    (void)fdr_bins({1.0, 2.0}, {0.5});
    ADD_FAILURE();
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("z and p differ in length (2 and 1)"));
  }
  EXPECT_THROW((void)fdr_bins({1.0}, {2.0}), InvalidArgument);
}

}  // namespace
}  // namespace hotspots
