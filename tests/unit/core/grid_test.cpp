// SPDX-License-Identifier: MIT
#include "hotspots/core/grid.hpp"

#include <gtest/gtest.h>

#include "hotspots/core/error.hpp"
#include "hotspots/units/grid_policy.hpp"

namespace hotspots {
namespace {

TEST(Grid, SnapsOutwardToWholeCells) {
  const GridSpec g = snapped_grid(Extent{1003.0, 2001.0, 1999.0, 2950.0}, 100.0);
  EXPECT_DOUBLE_EQ(g.xmin, 1000.0);
  EXPECT_DOUBLE_EQ(g.ymax, 3000.0);
  EXPECT_EQ(g.cols, 10);
  EXPECT_EQ(g.rows, 10);
  EXPECT_DOUBLE_EQ(g.ymin(), 2000.0);
}

TEST(Grid, CellCentresAndLookupAgree) {
  const GridSpec g{500.0, 900.0, 50.0, 4, 3};
  EXPECT_DOUBLE_EQ(g.centre_x(0), 525.0);
  EXPECT_DOUBLE_EQ(g.centre_y(0), 875.0);
  for (std::int64_t r = 0; r < g.rows; ++r)
    for (std::int64_t c = 0; c < g.cols; ++c) {
      EXPECT_EQ(g.col_of(g.centre_x(c)), c);
      EXPECT_EQ(g.row_of(g.centre_y(r)), r);
    }
  // Shared edges: east and south cell win.
  EXPECT_EQ(g.col_of(550.0), 1);
  EXPECT_EQ(g.row_of(850.0), 1);
}

TEST(Grid, RejectsBadCellSizeAndHugeGrids) {
  EXPECT_THROW(snapped_grid(Extent{0, 0, 10, 10}, 0.0), InvalidArgument);
  EXPECT_THROW(snapped_grid(Extent{0, 0, 10, 10}, -1.0), InvalidArgument);
  EXPECT_THROW(snapped_grid(Extent{}, 1.0), InvalidArgument);
  EXPECT_THROW(snapped_grid(Extent{0, 0, 1e6, 1e6}, 1.0, 1000), InvalidArgument);
}

}  // namespace
}  // namespace hotspots
