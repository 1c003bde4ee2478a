// SPDX-License-Identifier: MIT
// compute_gistar_cells / gistar_clusters / grid_over_points: the pipeline of `hotspots gistar`
// on hand-made incidents. Reference values come from the engine's own tested parts (gistar,
// gistar_grid, fdr_bins) applied by hand, or from counting.

#include "hotspots/hotspots/gistar_cells.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "hotspots/core/binning.hpp"
#include "hotspots/core/error.hpp"
#include "hotspots/stats/fdr.hpp"
#include "hotspots/units/grid_policy.hpp"

namespace hotspots {
namespace {

// `count` incidents at the centre of each cell of a grid, read row-major from `counts`.
struct Points {
  std::vector<double> x, y;
};

Points points_from_counts(const GridSpec& g, const std::vector<int>& counts) {
  Points p;
  for (std::int64_t r = 0; r < g.rows; ++r)
    for (std::int64_t c = 0; c < g.cols; ++c)
      for (int k = 0; k < counts[static_cast<std::size_t>(g.index(r, c))]; ++k) {
        p.x.push_back(g.centre_x(c));
        p.y.push_back(g.centre_y(r));
      }
  return p;
}

// 30 x 30 cells of 100 m: background 5 per cell, a hot 3 x 3 block of 30 at rows/cols 5-7, and
// an empty 6 x 6 block at rows/cols 18-23.
GridSpec test_grid() {
  return GridSpec{450000.0, 303000.0, 100.0, 30, 30};
}

std::vector<int> planted_counts() {
  std::vector<int> counts(900, 5);
  for (int r = 5; r <= 7; ++r)
    for (int c = 5; c <= 7; ++c) counts[static_cast<std::size_t>(r * 30 + c)] = 30;
  for (int r = 18; r <= 23; ++r)
    for (int c = 18; c <= 23; ++c) counts[static_cast<std::size_t>(r * 30 + c)] = 0;
  return counts;
}

GiStarCellsOptions band(double metres, int permutations = 0) {
  GiStarCellsOptions o;
  o.distance_band_m = metres;
  o.permutations = permutations;
  return o;
}

TEST(GiStarCells, GridOverPointsCountsPointsOnTheEastAndSouthEdges) {
  // Points on multiples of the cell size: snapped_grid alone would end exactly on the eastern
  // and southern points, which GridSpec's edge rule puts in the next (missing) column/row.
  const std::vector<double> x = {1000, 1500, 2000};
  const std::vector<double> y = {5000, 5500, 6000};
  const GridSpec g = grid_over_points(x, y, 100);
  EXPECT_EQ(g.xmin, 1000);
  EXPECT_EQ(g.ymax, 6000);
  EXPECT_EQ(g.cols, 11);  // 1000 .. 2100
  EXPECT_EQ(g.rows, 11);  // 4900 .. 6000
  const Raster counts = bin_points(g, x, y, {});
  double total = 0;
  for (double v : counts.values) total += v;
  EXPECT_EQ(total, 3.0);
  EXPECT_THROW((void)grid_over_points({}, {}, 100), InvalidArgument);
}

TEST(GiStarCells, BandPathIsGiStarGridOfTheCounts) {
  const GridSpec g = test_grid();
  const Points p = points_from_counts(g, planted_counts());
  const GiStarCells cells = compute_gistar_cells(g, nullptr, p.x, p.y, {}, band(300));
  const GiStarResult expected = gistar_grid(bin_points(g, p.x, p.y, {}), 300);
  EXPECT_EQ(cells.gi.z, expected.z);
  EXPECT_EQ(cells.gi.bin, expected.bin);
  EXPECT_EQ(cells.study_cells, 900);
  EXPECT_EQ(cells.counted_weight, static_cast<double>(p.x.size()));
  EXPECT_EQ(cells.uncounted_weight, 0.0);
  EXPECT_EQ(cells.gi.bin[6 * 30 + 6], 3);
  EXPECT_TRUE(cells.lisa_i.empty());  // permutations 0: skipped
  EXPECT_TRUE(cells.lisa_cluster.empty());
}

TEST(GiStarCells, KnnEightEqualsTheQueenBandAwayFromTheEdge) {
  // On a full lattice the 8 nearest cell centres are exactly the queen ring, i.e. the cells
  // within 1.5 cell sizes; only edge cells (fewer than 8 within the band) differ.
  const GridSpec g = test_grid();
  const Points p = points_from_counts(g, planted_counts());
  GiStarCellsOptions knn;
  knn.knn = 8;
  knn.permutations = 0;
  const GiStarCells a = compute_gistar_cells(g, nullptr, p.x, p.y, {}, knn);
  const GiStarCells b = compute_gistar_cells(g, nullptr, p.x, p.y, {}, band(150));
  for (std::int64_t r = 1; r < 29; ++r)
    for (std::int64_t c = 1; c < 29; ++c) {
      const auto i = static_cast<std::size_t>(g.index(r, c));
      EXPECT_NEAR(a.gi.z[i], b.gi.z[i], 1e-12) << r << "," << c;
      EXPECT_EQ(a.gi.n_neighbors[i], 9);
    }
  EXPECT_EQ(a.gi.n_neighbors[0], 9);  // the corner still gets 8 (the 3 touching + 5 farther)
  EXPECT_EQ(b.gi.n_neighbors[0], 4);
}

TEST(GiStarCells, CellsOutsideTheMaskAreExcludedNotZero) {
  const GridSpec g = test_grid();
  const Points p = points_from_counts(g, planted_counts());
  CellMask mask{g, std::vector<std::uint8_t>(900, 1)};
  for (std::int64_t r = 0; r < 30; ++r)
    for (std::int64_t c = 15; c < 30; ++c) mask.inside[static_cast<std::size_t>(g.index(r, c))] = 0;
  const GiStarCells cells = compute_gistar_cells(g, &mask, p.x, p.y, {}, band(300, 9));
  EXPECT_EQ(cells.study_cells, 450);
  // Only the west half's incidents are counted; the east half's are reported as uncounted.
  double west = 0;
  for (std::int64_t r = 0; r < 30; ++r)
    for (std::int64_t c = 0; c < 15; ++c)
      west += planted_counts()[static_cast<std::size_t>(g.index(r, c))];
  EXPECT_EQ(cells.counted_weight, west);
  EXPECT_EQ(cells.uncounted_weight, static_cast<double>(p.x.size()) - west);
  for (std::int64_t r = 0; r < 30; ++r) {
    const auto out = static_cast<std::size_t>(g.index(r, 20));
    EXPECT_TRUE(std::isnan(cells.counts.values[out]));
    EXPECT_TRUE(std::isnan(cells.gi.z[out]));
    EXPECT_EQ(cells.gi.n_neighbors[out], 0);
    EXPECT_TRUE(std::isnan(cells.lisa_i[out]));
    // A cell on the mask's east edge has no neighbours beyond it: of the 29-cell disc (row
    // offsets 0, ±1, ±2, ±3 with half-widths 3, 2, 2, 0) only the western half and its own
    // column remain: 4 + 2·3 + 2·3 + 2·1 = 18.
    const auto edge = static_cast<std::size_t>(g.index(r, 14));
    if (r >= 3 && r <= 26) {
      EXPECT_EQ(cells.gi.n_neighbors[edge], 18);
    }
  }
}

TEST(GiStarCells, FdrReplacesOnlyTheBins) {
  const GridSpec g = test_grid();
  const Points p = points_from_counts(g, planted_counts());
  GiStarCellsOptions o = band(300);
  const GiStarCells plain = compute_gistar_cells(g, nullptr, p.x, p.y, {}, o);
  o.fdr = true;
  const GiStarCells fdr = compute_gistar_cells(g, nullptr, p.x, p.y, {}, o);
  EXPECT_EQ(fdr.gi.z, plain.gi.z);
  EXPECT_EQ(fdr.gi.p, plain.gi.p);
  EXPECT_EQ(fdr.gi.bin, fdr_bins(plain.gi.z, plain.gi.p));
}

TEST(GiStarCells, LisaMarksThePlantedBlocksAndIsSeedReproducible) {
  const GridSpec g = test_grid();
  const Points p = points_from_counts(g, planted_counts());
  const GiStarCells a = compute_gistar_cells(g, nullptr, p.x, p.y, {}, band(300, 199));
  const GiStarCells b = compute_gistar_cells(g, nullptr, p.x, p.y, {}, band(300, 199));
  EXPECT_EQ(a.lisa_p, b.lisa_p);
  EXPECT_EQ(a.lisa_cluster[6 * 30 + 6], 1);  // HH in the hot block's centre
  EXPECT_EQ(lisa_type_name(a.lisa_cluster[6 * 30 + 6]), "HH");
  EXPECT_EQ(a.lisa_cluster[20 * 30 + 20], 3);  // LL in the empty block
  EXPECT_EQ(lisa_type_name(0), "");
}

TEST(GiStarCells, ClustersRankHotByIncidentsAndColdBySize) {
  const GridSpec g = test_grid();
  const Points p = points_from_counts(g, planted_counts());
  const GiStarCells cells = compute_gistar_cells(g, nullptr, p.x, p.y, {}, band(300));
  const GiStarClusters k = gistar_clusters(cells, 2, true, Connectivity::queen, p.x, p.y, {});
  ASSERT_GE(k.hot.size(), 1u);
  ASSERT_GE(k.cold.size(), 1u);
  EXPECT_EQ(k.hot[0].rank, 1);
  EXPECT_GE(k.hot[0].incidents, 270.0);  // the 3 x 3 block of 30
  EXPECT_GT(k.hot[0].mean_z, 1.96);      // mean z of the cluster's cells
  EXPECT_LT(k.cold[0].mean_z, -1.96);
  for (std::size_t i = 1; i < k.cold.size(); ++i)
    EXPECT_GE(k.cold[i - 1].members.size(), k.cold[i].members.size());
  // Cells of the empty block's centre belong to the largest cold cluster.
  const auto& ci = k.cold[0].members;  // every cell is in the study area: member = cell index
  EXPECT_TRUE(std::binary_search(ci.begin(), ci.end(), std::int32_t{20 * 30 + 20}));
  const GiStarClusters hot_only =
      gistar_clusters(cells, 2, false, Connectivity::queen, p.x, p.y, {});
  EXPECT_TRUE(hot_only.cold.empty());
  EXPECT_THROW((void)gistar_clusters(cells, 4, false, Connectivity::queen, p.x, p.y, {}),
               InvalidArgument);
}

TEST(GiStarCells, OptionsNameTheBadField) {
  const auto message = [](const GiStarCellsOptions& o) {
    try {
      o.validate();
    } catch (const InvalidArgument& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  GiStarCellsOptions o;
  EXPECT_NE(message(o).find("distance_band_m or knn"), std::string::npos);
  o.distance_band_m = 100;
  o.knn = 8;
  EXPECT_NE(message(o).find("not both"), std::string::npos);
  o.knn = 0;
  o.permutations = -1;
  EXPECT_NE(message(o).find("permutations"), std::string::npos);
  o.permutations = 0;
  o.lisa_alpha = 1.5;
  EXPECT_NE(message(o).find("lisa_alpha"), std::string::npos);
  o.lisa_alpha = 0.05;
  o.distance_band_m = -1;
  EXPECT_NE(message(o).find("distance_band_m"), std::string::npos);
  // k must be below the number of study-area cells.
  GiStarCellsOptions k;
  k.knn = 4;
  k.permutations = 0;
  const GridSpec tiny{0, 200, 100, 2, 2};
  EXPECT_THROW((void)compute_gistar_cells(tiny, nullptr, {50}, {150}, {}, k), InvalidArgument);
}

}  // namespace
}  // namespace hotspots
