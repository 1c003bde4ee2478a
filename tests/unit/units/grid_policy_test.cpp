// SPDX-License-Identifier: MIT
// The grid policy: the one default cell size, grid snapping, hexagon size and Gi* band.

#include "hotspots/units/grid_policy.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "hotspots/core/error.hpp"

namespace hotspots {
namespace {

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
