// SPDX-License-Identifier: MIT
// Crime concentration: a hand-sorted small raster, and a random one against a selection by
// repeated maximum (no sorting), plus the edge cases.

#include "hotspots/tables/concentration.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "hotspots/core/error.hpp"
#include "support/test_rng.hpp"

namespace hotspots {
namespace {

using ::testing::HasSubstr;

GridSpec grid(std::int64_t rows, std::int64_t cols, double size = 100) {
  GridSpec g;
  g.xmin = 0;
  g.ymax = 1000;
  g.cell_size_m = size;
  g.rows = rows;
  g.cols = cols;
  return g;
}

TEST(Concentration, SmallRasterSortedByHand) {
  // 4 × 5 = 20 cells, 2 of them NaN (outside the study area): 18 study cells.
  Raster r(grid(4, 5));
  r.values = {9,   0, 1, 0, 0,    //
              0,   6, 0, 2, NAN,  //
              3,   0, 0, 0, 0,    //
              NAN, 1, 0, 0, 2};
  // Sorted: 9 6 3 2 2 1 1 0 … (total 24, 7 cells with incidents).
  ConcentrationOptions o;
  o.top_percent = {1, 5, 10, 25, 100};
  const auto c = compute_concentration(r, o);
  EXPECT_EQ(c.cells, 18);
  EXPECT_DOUBLE_EQ(c.incidents, 24);
  EXPECT_DOUBLE_EQ(c.cell_area_km2, 0.01);
  ASSERT_EQ(c.top.size(), 5u);
  // ceil(0.18) = 1, ceil(0.9) = 1, ceil(1.8) = 2, ceil(4.5) = 5, 18.
  EXPECT_EQ(c.top[0].cells, 1);
  EXPECT_DOUBLE_EQ(c.top[0].incidents, 9);
  EXPECT_DOUBLE_EQ(c.top[0].share_incidents, 9.0 / 24.0);
  EXPECT_DOUBLE_EQ(c.top[0].share_cells, 1.0 / 18.0);
  EXPECT_EQ(c.top[1].cells, 1);
  EXPECT_EQ(c.top[2].cells, 2);
  EXPECT_DOUBLE_EQ(c.top[2].incidents, 15);
  EXPECT_EQ(c.top[3].cells, 5);
  EXPECT_DOUBLE_EQ(c.top[3].incidents, 22);
  EXPECT_EQ(c.top[4].cells, 18);
  EXPECT_DOUBLE_EQ(c.top[4].share_incidents, 1.0);
  // 50 % of 24 = 12: 9 is short, 9 + 6 = 15 reaches it → 2 cells.
  EXPECT_EQ(c.cells_for_target, 2);
  EXPECT_DOUBLE_EQ(c.share_cells_for_target, 2.0 / 18.0);
  EXPECT_DOUBLE_EQ(c.area_km2_for_target, 0.02);
  EXPECT_EQ(c.cells_with_incidents, 7);
  EXPECT_DOUBLE_EQ(c.share_cells_with_incidents, 7.0 / 18.0);
}

TEST(Concentration, TargetReachedExactlyCountsThatCell) {
  Raster r(grid(1, 4));
  r.values = {5, 3, 2, 0};  // half of 10 is exactly the top cell
  const auto c = compute_concentration(r, {});
  EXPECT_EQ(c.cells_for_target, 1);
  ConcentrationOptions all;
  all.target_share = 1.0;
  EXPECT_EQ(compute_concentration(r, all).cells_for_target, 3);  // the empty cell is not needed
}

TEST(Concentration, TiesAtTheCutDoNotChangeTheSum) {
  Raster r(grid(1, 4));
  r.values = {5, 5, 5, 1};
  ConcentrationOptions o;
  o.top_percent = {25, 50};
  const auto c = compute_concentration(r, o);
  EXPECT_DOUBLE_EQ(c.top[0].incidents, 5);
  EXPECT_DOUBLE_EQ(c.top[1].incidents, 10);
}

TEST(Concentration, RandomRasterMatchesRepeatedMaximum) {
  testing::TestRng rng(7);
  Raster r(grid(40, 50));
  CellMask mask{r.grid, std::vector<std::uint8_t>(r.values.size(), 0)};
  for (std::size_t i = 0; i < r.values.size(); ++i) {
    r.values[i] = rng.poisson(rng.uniform() < 0.1 ? 4.0 : 0.3);
    mask.inside[i] = rng.uniform() < 0.8 ? 1 : 0;
  }
  // Brute force: the study cells, then the top k by taking the maximum k times.
  std::vector<double> left;
  for (std::size_t i = 0; i < r.values.size(); ++i)
    if (mask.inside[i]) left.push_back(r.values[i]);
  const auto n = static_cast<std::int64_t>(left.size());
  double total = 0;
  for (const double v : left) total += v;
  std::vector<double> top_sum = {0};  // top_sum[k] = sum of the k largest
  std::vector<double> pool = left;
  while (!pool.empty()) {
    std::size_t best = 0;
    for (std::size_t i = 1; i < pool.size(); ++i)
      if (pool[i] > pool[best]) best = i;
    top_sum.push_back(top_sum.back() + pool[best]);
    pool.erase(pool.begin() + static_cast<std::ptrdiff_t>(best));
  }
  std::int64_t k50 = 0;
  while (top_sum[static_cast<std::size_t>(k50)] < 0.5 * total) ++k50;

  const auto c = compute_concentration(r, {}, &mask);
  EXPECT_EQ(c.cells, n);
  EXPECT_DOUBLE_EQ(c.incidents, total);
  const std::vector<std::int64_t> k = {(n + 99) / 100, (5 * n + 99) / 100, (10 * n + 99) / 100};
  for (std::size_t j = 0; j < 3; ++j) {
    EXPECT_EQ(c.top[j].cells, k[j]);
    EXPECT_DOUBLE_EQ(c.top[j].incidents, top_sum[static_cast<std::size_t>(k[j])]);
  }
  EXPECT_EQ(c.cells_for_target, k50);
  // Concentrated by construction: half of the incidents on well under half of the area.
  EXPECT_LT(c.share_cells_for_target, 0.3);
}

TEST(Concentration, AllZerosAndEmptyStudyArea) {
  Raster zeros(grid(3, 3));
  const auto c = compute_concentration(zeros, {});
  EXPECT_EQ(c.cells, 9);
  EXPECT_DOUBLE_EQ(c.incidents, 0);
  for (const auto& t : c.top) EXPECT_TRUE(std::isnan(t.share_incidents));
  EXPECT_EQ(c.cells_for_target, 0);
  EXPECT_TRUE(std::isnan(c.share_cells_for_target));
  EXPECT_EQ(c.cells_with_incidents, 0);
  EXPECT_DOUBLE_EQ(c.share_cells_with_incidents, 0.0);

  Raster nodata(grid(2, 2), Raster::nodata());
  const auto e = compute_concentration(nodata, {});
  EXPECT_EQ(e.cells, 0);
  EXPECT_EQ(e.top[0].cells, 0);
  EXPECT_TRUE(std::isnan(e.share_cells_with_incidents));
}

TEST(Concentration, ValidatesItsInputs) {
  Raster r(grid(2, 2));
  ConcentrationOptions o;
  o.top_percent = {0};
  EXPECT_THAT([&] { (void)compute_concentration(r, o); },
              ::testing::ThrowsMessage<InvalidArgument>(HasSubstr("top_percent")));
  o = {};
  o.target_share = 1.5;
  EXPECT_THAT([&] { (void)compute_concentration(r, o); },
              ::testing::ThrowsMessage<InvalidArgument>(HasSubstr("target_share")));
  r.values[1] = -1;
  EXPECT_THAT([&] { (void)compute_concentration(r, {}); },
              ::testing::ThrowsMessage<InvalidArgument>(HasSubstr("non-negative")));
  r.values[1] = 0;
  const CellMask other{grid(3, 3), std::vector<std::uint8_t>(9, 1)};
  EXPECT_THAT([&] { (void)compute_concentration(r, {}, &other); },
              ::testing::ThrowsMessage<InvalidArgument>(HasSubstr("different grid")));
}

}  // namespace
}  // namespace hotspots
