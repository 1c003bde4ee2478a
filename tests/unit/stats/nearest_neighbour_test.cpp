// SPDX-License-Identifier: MIT
// Nearest-neighbour scale (ArcGIS Optimized Hot Spot Analysis's rules): the sweep against an
// O(n²) brute force, and the outlier rule, mean, median and cell size on hand-worked cases.

#include "hotspots/stats/nearest_neighbour.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "hotspots/core/error.hpp"
#include "support/test_rng.hpp"

namespace hotspots {
namespace {

using testing::TestRng;

std::vector<double> brute_nn(const std::vector<double>& x, const std::vector<double>& y) {
  std::vector<double> out(x.size(), std::numeric_limits<double>::infinity());
  for (std::size_t i = 0; i < x.size(); ++i)
    for (std::size_t j = 0; j < x.size(); ++j) {
      const double d = std::hypot(x[i] - x[j], y[i] - y[j]);
      if (d > 0) out[i] = std::min(out[i], d);
    }
  return out;
}

TEST(NearestNeighbour, SweepEqualsBruteForceWithCoincidentAndClusteredPoints) {
  TestRng rng(7);
  std::vector<double> x, y;
  for (int i = 0; i < 2000; ++i) {
    if (i > 0 && rng.uniform() < 0.3) {  // coincident with an earlier point (a snap point)
      const auto j = static_cast<std::size_t>(rng.next() % x.size());
      x.push_back(x[j]);
      y.push_back(y[j]);
    } else if (rng.uniform() < 0.5) {  // a dense cluster
      x.push_back(rng.uniform(1000, 1100));
      y.push_back(rng.uniform(2000, 2100));
    } else {
      x.push_back(rng.uniform(0, 20000));
      y.push_back(rng.uniform(0, 20000));
    }
  }
  const std::vector<double> fast = nearest_neighbour_distances(x, y);
  const std::vector<double> slow = brute_nn(x, y);
  ASSERT_EQ(fast.size(), slow.size());
  for (std::size_t i = 0; i < fast.size(); ++i) EXPECT_DOUBLE_EQ(fast[i], slow[i]) << i;
}

TEST(NearestNeighbour, ScaleOfAHandWorkedLayout) {
  // 10 locations on a line 100 m apart (each NN = 100 m), one of them given twice, and one
  // location 50 km away: its NN distance (49,100 m) is far above mean + 3 SD of all 11, so it is
  // a locational outlier and leaves every figure. Without it: mean = median = max = 100 m, cell
  // size 200 m.
  std::vector<double> x, y;
  for (int i = 0; i < 10; ++i) x.push_back(100.0 * i), y.push_back(0);
  x.push_back(300), y.push_back(0);  // coincident
  x.push_back(50'000), y.push_back(0);
  const NearestNeighbourScale s = nearest_neighbour_scale(x, y);
  EXPECT_EQ(s.locations, 11);
  EXPECT_EQ(s.outliers, 1);
  // Over the 11: mean = (10·100 + 49100)/11, SD by hand below.
  const double mean = (1000.0 + 49'100.0) / 11;
  const double var = (10 * (100 - mean) * (100 - mean) + (49'100 - mean) * (49'100 - mean)) / 11;
  // 3 SD: is 49,100 really beyond it? mean ≈ 4554.5, SD ≈ 14,087, cut ≈ 46,816: yes.
  EXPECT_NEAR(s.outlier_cut_m, mean + 3 * std::sqrt(var), 1e-9);
  EXPECT_DOUBLE_EQ(s.mean_m, 100);
  EXPECT_DOUBLE_EQ(s.median_m, 100);
  EXPECT_DOUBLE_EQ(s.max_m, 100);
  EXPECT_DOUBLE_EQ(s.cell_size_m(), 200);
}

TEST(NearestNeighbour, CellSizeTakesTheLargerOfMeanAndMedian) {
  // NN distances 10, 10, 10, 10, 40, 40 (two pairs 10 m apart, one pair 40 m apart, pairs far
  // from each other but not outliers): mean 20, median 10 → 2 · 20 = 40 m.
  const std::vector<double> x = {0, 10, 1000, 1010, 2000, 2040};
  const std::vector<double> y = {0, 0, 0, 0, 0, 0};
  const NearestNeighbourScale s = nearest_neighbour_scale(x, y);
  EXPECT_EQ(s.outliers, 0);
  EXPECT_DOUBLE_EQ(s.mean_m, 20);
  EXPECT_DOUBLE_EQ(s.median_m, 10);
  EXPECT_DOUBLE_EQ(s.cell_size_m(), 40);
}

TEST(NearestNeighbour, NeedsTwoDistinctLocations) {
  EXPECT_THROW((void)nearest_neighbour_scale(std::vector<double>{1, 1}, std::vector<double>{2, 2}),
               InvalidArgument);
  EXPECT_THROW((void)nearest_neighbour_distances(std::vector<double>{1}, std::vector<double>{}),
               InvalidArgument);
  EXPECT_THROW(
      (void)nearest_neighbour_distances(std::vector<double>{NAN}, std::vector<double>{1.0}),
      InvalidArgument);
}

}  // namespace
}  // namespace hotspots
