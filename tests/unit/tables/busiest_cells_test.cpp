// SPDX-License-Identifier: MIT
// The busiest-cells table against a brute-force ranking: every pair of listed cells in order,
// no unlisted busy cell above the last listed one, running totals recomputed from scratch.

#include "hotspots/tables/busiest_cells.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "hotspots/core/error.hpp"

namespace hotspots {
namespace {

Raster random_counts(unsigned seed) {
  Raster r(GridSpec{1000, 2000, 50, 30, 20});
  std::mt19937 rng(seed);
  std::poisson_distribution<int> pois(0.4);
  for (std::size_t i = 0; i < r.values.size(); ++i)
    r.values[i] = (i % 17 == 3) ? Raster::nodata() : pois(rng) * ((i % 5 == 0) ? 3.0 : 1.0);
  return r;
}

TEST(BusiestCells, RankByCountThenGridOrderWithRunningTotalsByBruteForce) {
  const Raster counts = random_counts(3);
  std::int64_t study = 0;
  double total = 0;
  for (double v : counts.values)
    if (!std::isnan(v)) {
      ++study;
      total += v;
    }
  const BusiestCells b = rank_busiest_cells(counts, 5.0);
  EXPECT_EQ(b.study_cells, study);
  EXPECT_DOUBLE_EQ(b.incidents, total);
  ASSERT_EQ(static_cast<std::int64_t>(b.cells.size()),
            static_cast<std::int64_t>(std::ceil(0.05 * static_cast<double>(study))));
  double cum = 0;
  for (std::size_t k = 0; k < b.cells.size(); ++k) {
    const BusiestCell& c = b.cells[k];
    const std::int64_t idx = c.row * counts.grid.cols + c.col;
    EXPECT_EQ(c.rank, static_cast<std::int64_t>(k + 1));
    EXPECT_EQ(c.count, counts.values[static_cast<std::size_t>(idx)]);
    EXPECT_GT(c.count, 0);
    if (k > 0) {
      const BusiestCell& p = b.cells[k - 1];
      EXPECT_TRUE(p.count > c.count ||
                  (p.count == c.count && p.row * counts.grid.cols + p.col < idx));
    }
    cum += c.count;
    EXPECT_NEAR(c.cum_incident_share, cum / total, 1e-12);
    EXPECT_NEAR(c.cum_area_share, static_cast<double>(k + 1) / static_cast<double>(study), 1e-12);
    EXPECT_NEAR(c.cum_area_km2, static_cast<double>(k + 1) * 0.0025, 1e-12);
    EXPECT_NEAR(c.pai, (cum / total) / (static_cast<double>(k + 1) / static_cast<double>(study)),
                1e-9);
  }
  // No cell left out ranks above the last one listed.
  const BusiestCell& last = b.cells.back();
  const std::int64_t last_idx = last.row * counts.grid.cols + last.col;
  for (std::size_t i = 0; i < counts.values.size(); ++i) {
    const double v = counts.values[i];
    if (std::isnan(v) || v <= 0) continue;
    bool listed = false;
    for (const BusiestCell& c : b.cells)
      listed = listed || c.row * counts.grid.cols + c.col == static_cast<std::int64_t>(i);
    if (!listed) {
      EXPECT_TRUE(v < last.count || (v == last.count && static_cast<std::int64_t>(i) > last_idx))
          << i;
    }
  }
}

TEST(BusiestCells, OnlyCellsHoldingIncidentsAndAShareInRange) {
  Raster sparse(GridSpec{0, 100, 10, 10, 10}, 0.0);
  sparse.at(2, 3) = 4;
  sparse.at(7, 1) = 4;
  sparse.at(5, 5) = 1;
  const BusiestCells b = rank_busiest_cells(sparse, 50);  // 50 cells asked, 3 hold incidents
  ASSERT_EQ(b.cells.size(), 3u);
  EXPECT_EQ(b.cells[0].row, 2);  // equal counts: north first
  EXPECT_EQ(b.cells[1].row, 7);
  EXPECT_DOUBLE_EQ(b.cells[2].cum_incident_share, 1.0);
  EXPECT_THROW((void)rank_busiest_cells(sparse, 0), InvalidArgument);
  EXPECT_THROW((void)rank_busiest_cells(sparse, 101), InvalidArgument);
}

}  // namespace
}  // namespace hotspots
