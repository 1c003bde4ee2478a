// SPDX-License-Identifier: MIT
// The grid policy: the one default cell size, grid snapping, hexagon size and Gi* band.

#include "hotspots/units/grid_policy.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "hotspots/core/error.hpp"

namespace hotspots {
namespace {

// The street-scale default (issue #11 item 5): 2 cells of 2 · max(mean, median) nearest-
// neighbour distance, independent of the extent. Hand case: a 10 × 10 lattice 40 m apart (every
// NN 40 m) plus two far outliers; with the outliers removed mean = median = 40 m → cell 80 m,
// radius 160 m, whatever the boundary (the old default grew with the extent: extent / 250).
TEST(GridPolicy, StreetScaleComesFromTheSpacingOfTheIncidentsNotTheExtent) {
  std::vector<double> x, y;
  for (int i = 0; i < 10; ++i)
    for (int j = 0; j < 10; ++j) x.push_back(1000 + 40.0 * i), y.push_back(2000 + 40.0 * j);
  x.push_back(90'000), y.push_back(2000);
  x.push_back(-90'000), y.push_back(2000);
  const StreetScale s = street_scale(x, y);
  EXPECT_EQ(s.nn.locations, 102);
  EXPECT_EQ(s.nn.outliers, 2);
  EXPECT_DOUBLE_EQ(s.cell_size_m, 80);
  EXPECT_DOUBLE_EQ(s.radius_m, 160);
  const std::string text = describe(s);
  EXPECT_NE(text.find("102 distinct locations"), std::string::npos) << text;
  EXPECT_NE(text.find("2 locational outliers"), std::string::npos) << text;
  EXPECT_NE(text.find("cell 2 x 40.0 = 80.0 m"), std::string::npos) << text;
  EXPECT_NE(text.find("160.0 m"), std::string::npos) << text;
}

TEST(GridPolicy, DefaultBandIsFiveCells) {
  static_assert(kDefaultBandCells == 5);
  static_assert(default_band_m(50.0) == 250.0);
  EXPECT_DOUBLE_EQ(default_band_m(342.5), 5 * 342.5);
}

TEST(GridPolicy, DefaultCellSizeDividesTheShorterSideInto250) {
  static_assert(kDefaultCellsAcrossShorterSide == 250);
  EXPECT_DOUBLE_EQ(default_cell_size(Extent{0, 0, 10000, 5000}), 20.0);
  EXPECT_THROW((void)default_cell_size(Extent{}), InvalidArgument);
}

TEST(GridPolicy, HexagonHasTheAreaOfTheSquare) {
  // A pointy-topped hexagon of centre spacing w has area (√3/2) w².
  const double w = hex_cell_size_for_square_area(80.0);
  EXPECT_NEAR(std::sqrt(3.0) / 2 * w * w, 80.0 * 80.0, 1e-9);
}

TEST(GridPolicy, SnappedGridEdgesAreWholeCells) {
  const GridSpec g = snapped_grid(Extent{1010, 2020, 1390, 2290}, 100);
  EXPECT_EQ(g.xmin, 1000);
  EXPECT_EQ(g.ymax, 2300);
  EXPECT_EQ(g.cols, 4);
  EXPECT_EQ(g.rows, 3);
  // Points on the east/south edge still get a cell.
  const std::vector<double> x = {1000, 1400}, y = {2000, 2300};
  const GridSpec p = grid_over_points(x, y, 100);
  EXPECT_EQ(p.col_of(1400), p.cols - 1);
  EXPECT_EQ(p.row_of(2000), p.rows - 1);
}

}  // namespace
}  // namespace hotspots
