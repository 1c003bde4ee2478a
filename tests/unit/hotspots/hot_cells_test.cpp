// SPDX-License-Identifier: MIT
// Hot cells (hot_cells.hpp): the top-percent, threshold and mean + k SD rules applied to a KDE
// surface, checked against counts worked by hand on small rasters.
#include "hotspots/hotspots/hot_cells.hpp"
#include "hotspots/hotspots/hot_areas.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <vector>

#include "hotspots/core/error.hpp"

namespace hotspots {
namespace {

using ::testing::HasSubstr;

Raster row_raster(const std::vector<double>& values) {
  Raster r(GridSpec{0.0, 10.0, 1.0, static_cast<std::int64_t>(values.size()), 1});
  r.values = values;
  return r;
}

std::vector<std::uint8_t> bytes(std::initializer_list<int> v) {
  return std::vector<std::uint8_t>(v.begin(), v.end());
}

TEST(HotCells, TopPercentCountsOnlyStudyAreaCells) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  // 10 study cells (the NaNs are outside): top 20% = the 2 largest.
  const Raster r = row_raster({3, nan, 9, 1, 10, 4, nan, 2, 8, 5, 6, 7});
  EXPECT_EQ(select_hot_cells(r, HotRule::top_percent, 20.0),
            bytes({0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0}));
  // 25% of 10 = 2.5 -> 3 cells (rounded up).
  EXPECT_EQ(select_hot_cells(r, HotRule::top_percent, 25.0),
            bytes({0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0}));
  EXPECT_EQ(select_hot_cells(r, HotRule::top_percent, 100.0),
            bytes({1, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1}));
}

TEST(HotCells, TopPercentKeepsTiesAndNeverZeros) {
  // Top 10% of 10 cells = 1 cell, but three share the cut value: all three are hot.
  EXPECT_EQ(select_hot_cells(row_raster({5, 1, 5, 2, 0, 5, 3, 0, 0, 4}), HotRule::top_percent, 10),
            bytes({1, 0, 1, 0, 0, 1, 0, 0, 0, 0}));
  // Top 50% reaches into the zeros: they stay cold.
  EXPECT_EQ(select_hot_cells(row_raster({0, 0, 2, 0, 0, 0, 1, 0}), HotRule::top_percent, 50),
            bytes({0, 0, 1, 0, 0, 0, 1, 0}));
  // p·m/100 = 16.1·1000/100 is 161.00000000000003 in double: still 161 cells, not 162.
  std::vector<double> v(1000);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<double>(i + 1);
  const auto hot = select_hot_cells(row_raster(v), HotRule::top_percent, 16.1);
  EXPECT_EQ(std::count(hot.begin(), hot.end(), 1), 161);
}

TEST(HotCells, TopPercentNearDataCountsOnlyCellsAboveZeroSoEmptyLandChangesNothing) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  // 5 cells near data (> 0) among zeros and NaNs: top 40 % of 5 = the 2 largest.
  const Raster r = row_raster({0, 3, nan, 9, 0, 1, 10, 0, 0, 4});
  EXPECT_EQ(select_hot_cells(r, HotRule::top_percent_near_data, 40.0),
            bytes({0, 0, 0, 1, 0, 0, 1, 0, 0, 0}));
  // The same data inside a rectangle 10 times larger: the same hot cells. top_percent instead
  // takes 40 % of 10 = 4 cells, then 40 % of 100 = 40 cells -> every non-zero cell.
  std::vector<double> wide(100, 0.0);
  std::copy(r.values.begin(), r.values.end(), wide.begin());
  const auto near = select_hot_cells(row_raster(wide), HotRule::top_percent_near_data, 40.0);
  EXPECT_EQ(std::vector<std::uint8_t>(near.begin(), near.begin() + 10),
            bytes({0, 0, 0, 1, 0, 0, 1, 0, 0, 0}));
  EXPECT_EQ(std::count(near.begin(), near.end(), 1), 2);
  const auto rect = select_hot_cells(row_raster(wide), HotRule::top_percent, 40.0);
  EXPECT_EQ(std::count(rect.begin(), rect.end(), 1), 5);
}

TEST(HotCells, ThresholdIsInclusive) {
  EXPECT_EQ(select_hot_cells(row_raster({1.5, 2.0, 2.5, 0.0}), HotRule::threshold, 2.0),
            bytes({0, 1, 1, 0}));
  // A threshold of 0 still leaves empty cells cold.
  EXPECT_EQ(select_hot_cells(row_raster({1.5, 2.0, 2.5, 0.0}), HotRule::threshold, 0.0),
            bytes({1, 1, 1, 0}));
}

TEST(HotCells, MeanSdUsesNonZeroCells) {
  // Non-zero cells 1, 2, 3, 4, 10: mean 4, population SD = √((9+4+1+0+36)/5) = √10 ≈ 3.162.
  // mean + 1·SD = 7.162: only 10. mean + 0·SD = 4: 4 and 10. The zeros do not dilute the mean.
  const Raster r = row_raster({0, 1, 2, 0, 3, 4, 10, 0});
  EXPECT_EQ(select_hot_cells(r, HotRule::mean_sd, 1.0), bytes({0, 0, 0, 0, 0, 0, 1, 0}));
  EXPECT_EQ(select_hot_cells(r, HotRule::mean_sd, 0.0), bytes({0, 0, 0, 0, 0, 1, 1, 0}));
  // k = −1: cut 4 − 3.162 = 0.838, every non-zero cell.
  EXPECT_EQ(select_hot_cells(r, HotRule::mean_sd, -1.0), bytes({0, 1, 1, 0, 1, 1, 1, 0}));
  EXPECT_EQ(select_hot_cells(row_raster({0, 0}), HotRule::mean_sd, 1.0), bytes({0, 0}));
}

// A KDE hotspot above the neighbourhood scale is named, with the largest one, in a warning;
// none above it: no warning.
TEST(HotAreas, OversizeAreasAreListedWithAWarning) {
  std::vector<HotArea> areas(3);
  areas[0].rank = 1, areas[0].area_km2 = 3.5;
  areas[1].rank = 2, areas[1].area_km2 = 0.4;
  areas[2].rank = 3, areas[2].area_km2 = 7.31;
  const OversizeHotAreas o = oversize_hot_areas(areas, 1.0);
  EXPECT_EQ(o.ranks, (std::vector<int>{1, 3}));
  EXPECT_NE(o.warning.find("2 KDE hotspots are larger than the neighbourhood scale of 1 km2"),
            std::string::npos)
      << o.warning;
  EXPECT_NE(o.warning.find("hotspot 3, covers 7.31 km2"), std::string::npos) << o.warning;
  const OversizeHotAreas none = oversize_hot_areas(areas, 10.0);
  EXPECT_TRUE(none.ranks.empty());
  EXPECT_TRUE(none.warning.empty());
}

TEST(HotCells, RejectsBadParameters) {
  const Raster r = row_raster({1, 2});
  for (double p : {0.0, -1.0, 100.5, std::numeric_limits<double>::quiet_NaN()}) {
    try {
      (void)select_hot_cells(r, HotRule::top_percent, p);
      ADD_FAILURE() << p << " accepted";
    } catch (const InvalidArgument& e) {
      EXPECT_THAT(e.what(), HasSubstr("top percent must be above 0 and at most 100"));
    }
  }
  EXPECT_THROW((void)select_hot_cells(r, HotRule::threshold, std::nan("")), InvalidArgument);
  EXPECT_THROW((void)select_hot_cells(r, HotRule::mean_sd, INFINITY), InvalidArgument);
}

}  // namespace
}  // namespace hotspots
