// SPDX-License-Identifier: MIT
// for_each_density_tile against estimate_density: every reported cell bit-identical, every
// unreported tile zero (or NaN where masked) in the whole surface; the memory estimate.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <set>
#include <utility>
#include <vector>

#include "hotspots/core/error.hpp"
#include "hotspots/stats/kde.hpp"
#include "hotspots/stats/kde_memory.hpp"
#include "hotspots/stats/kernels/kernel_list.hpp"
#include "kde_reference.hpp"

namespace hotspots {
namespace {

using testing::bit_identical;
using testing::options;
using testing::random_points;

// The surface put together from the tiles: unreported tiles hold `empty_fill`.
Raster assemble(const WeightedPoints& p, const GridSpec& g, const KdeOptions& o,
                const DensityTiling& tiling, const CellMask* mask, std::int64_t* reported,
                std::set<std::pair<std::int64_t, std::int64_t>>* seen) {
  Raster r(g, -12345.0);
  *reported = for_each_density_tile(p, g, o, tiling, mask, [&](const DensityTile& t) {
    EXPECT_TRUE(seen->insert({t.tile_row, t.tile_col}).second) << "tile reported twice";
    EXPECT_EQ(t.values.size(), static_cast<std::size_t>(t.rows * t.cols));
    for (std::int64_t i = 0; i < t.rows; ++i)
      for (std::int64_t j = 0; j < t.cols; ++j)
        r.at(t.row0 + i, t.col0 + j) = t.values[static_cast<std::size_t>(i * t.cols + j)];
  });
  return r;
}

TEST(DensityTiles, EveryTileEqualsTheWholeSurfaceBitForBitForEveryKernelAndOutput) {
  // Radius not a multiple of the cell size, points up to 1.5 h outside the grid, a grid that
  // is not a multiple of the tile: clipping at tile and grid edges is exercised.
  const GridSpec g{1000.0, 9000.0, 10.0, 101, 77};
  for_each_type(KernelList{}, [&]<class K>() {
    for (OutputValue out : {OutputValue::density, OutputValue::raw, OutputValue::count}) {
      const KdeOptions o = options(K{}, 61.0, out);
      const WeightedPoints p = random_points(g, 400, 1.5 * 61.0, true, 7);
      const Raster whole = estimate_density(p, g, o);
      DensityTiling tiling;
      tiling.tile_cells = 32;
      tiling.skip_empty = false;
      std::int64_t reported = 0;
      std::set<std::pair<std::int64_t, std::int64_t>> seen;
      const Raster tiled = assemble(p, g, o, tiling, nullptr, &reported, &seen);
      EXPECT_EQ(reported, 4 * 3);
      EXPECT_TRUE(bit_identical(whole, tiled)) << K::name << " " << to_string(out);
    }
  });
}

TEST(DensityTiles, OnlyTilesNearIncidentsExistAndTheRestAreZeroOrMasked) {
  // Two clusters in opposite corners of a 20 x 20-tile grid: few tiles near data.
  const GridSpec g{0.0, 6400.0, 10.0, 640, 640};
  WeightedPoints p;
  for (int i = 0; i < 50; ++i) {
    p.x.push_back(100.0 + 3.7 * i);
    p.y.push_back(6300.0 - 2.3 * i);
    p.x.push_back(6200.0 - 1.9 * i);
    p.y.push_back(150.0 + 1.1 * i);
  }
  CellMask mask;
  mask.grid = g;
  mask.inside.assign(static_cast<std::size_t>(g.cell_count()), 1);
  for (std::int64_t c = 0; c < g.cols; c += 3) mask.inside[static_cast<std::size_t>(c)] = 0;
  mask.inside[static_cast<std::size_t>(g.index(630, 600))] = 0;
  const KdeOptions o = options(kernels::Quartic{}, 250.0, OutputValue::density);
  for (const CellMask* m : std::vector<const CellMask*>{nullptr, &mask}) {
    const Raster whole = estimate_density(p, g, o, m);
    DensityTiling tiling;
    tiling.tile_cells = 32;
    std::int64_t reported = 0;
    std::set<std::pair<std::int64_t, std::int64_t>> seen;
    const Raster tiled = assemble(p, g, o, tiling, m, &reported, &seen);
    // Reach = ceil(250/10) + 1 = 26 cells: the first cluster spans cols 10..28, rows 10..21,
    // so it reaches tiles 0..1 both ways (4 tiles); the second likewise (4 tiles).
    EXPECT_EQ(reported, 8);
    EXPECT_EQ(static_cast<std::int64_t>(seen.size()), reported);
    std::int64_t nonzero_elsewhere = 0;
    for (std::int64_t r = 0; r < g.rows; ++r)
      for (std::int64_t c = 0; c < g.cols; ++c) {
        const double w = whole.at(r, c), t = tiled.at(r, c);
        if (seen.count({r / 32, c / 32}) != 0) {
          ASSERT_TRUE(std::isnan(w) ? std::isnan(t) : w == t) << r << "," << c;
        } else {
          const bool masked =
              m != nullptr && m->inside[static_cast<std::size_t>(g.index(r, c))] == 0;
          if (masked ? !std::isnan(w) : w != 0.0) ++nonzero_elsewhere;
        }
      }
    EXPECT_EQ(nonzero_elsewhere, 0);
  }
}

TEST(DensityTiles, ProgressRisesToOneOncePerStrip) {
  const GridSpec g{0.0, 1000.0, 10.0, 100, 100};  // 4 strips of 32 rows (the last of 4)
  const WeightedPoints p{{500.0, 120.0}, {500.0, 880.0}, {}};
  DensityTiling tiling;
  tiling.tile_cells = 32;
  std::vector<double> shares;
  tiling.progress = [&](std::string_view phase, double share) {
    EXPECT_EQ(phase, "density");
    shares.push_back(share);
  };
  for_each_density_tile(p, g, options(kernels::Quartic{}, 50.0, OutputValue::density), tiling,
                        nullptr, [](const DensityTile&) {});
  EXPECT_EQ(shares, (std::vector<double>{0.0, 0.25, 0.5, 0.75, 1.0}));
}

TEST(DensityTiles, TheTileSizeIsValidated) {
  const GridSpec g{0.0, 100.0, 10.0, 10, 10};
  const WeightedPoints p{{50.0}, {50.0}, {}};
  DensityTiling tiling;
  tiling.tile_cells = 100;
  try {
    for_each_density_tile(p, g, options(kernels::Quartic{}, 30.0, OutputValue::density), tiling,
                          nullptr, [](const DensityTile&) {});
    FAIL() << "a tile of 100 cells was accepted";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("tile_cells"), std::string::npos) << e.what();
  }
}

TEST(KdeMemory, TheEstimateIsItsFormulaAndTheSuggestedCellSizeFits) {
  KdeMemoryInput in;
  in.grid = GridSpec{0.0, 0.0, 25.0, 28000, 40000};
  in.incidents = 7'000'000;
  in.radius_m = 250;
  in.whole_surface = true;
  in.hotspots = true;
  const double cells = 28000.0 * 40000.0;
  EXPECT_DOUBLE_EQ(estimate_kde_memory(in),
                   kKdeBaseBytes + 7e6 * (kKdeBytesPerIncident + 56) + 17 * cells);
  const double budget = 4e9;
  const double fit = cell_size_that_fits(in, budget);
  ASSERT_TRUE(std::isfinite(fit));
  EXPECT_GT(fit, 25.0);
  KdeMemoryInput at = in;
  at.grid.cell_size_m = fit;
  at.grid.cols = static_cast<std::int64_t>(std::ceil(28000.0 * 25.0 / fit));
  at.grid.rows = static_cast<std::int64_t>(std::ceil(40000.0 * 25.0 / fit));
  EXPECT_LE(estimate_kde_memory(at), budget);
  at.grid.cell_size_m = fit - 1.0;
  at.grid.cols = static_cast<std::int64_t>(std::ceil(28000.0 * 25.0 / (fit - 1.0)));
  at.grid.rows = static_cast<std::int64_t>(std::ceil(40000.0 * 25.0 / (fit - 1.0)));
  EXPECT_GT(estimate_kde_memory(at), budget);
  // Streaming holds two strips of tiles, not the grid: the same grid fits in far less.
  in.whole_surface = false;
  EXPECT_LT(estimate_kde_memory(in), 1e9);
  // Incidents alone above the budget: no cell size fits.
  EXPECT_TRUE(std::isinf(cell_size_that_fits(in, 5e8)));
}

}  // namespace
}  // namespace hotspots
