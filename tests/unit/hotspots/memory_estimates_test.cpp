// SPDX-License-Identifier: MIT
// The memory estimators' properties (parts add up, what fits fits, the inputs are those the run
// will build) and the progress phases' contract. Estimates against measured peak RSS are in
// benchmarks/memory_estimates.sh (benchmarks/README.md, "Memory estimates").

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "hotspots/core/progress.hpp"
#include "hotspots/hotspots/emerging.hpp"
#include "hotspots/hotspots/emerging_memory.hpp"
#include "hotspots/hotspots/gistar_memory.hpp"
#include "hotspots/pack/analyse_memory.hpp"
#include "hotspots/units/units.hpp"
#include "support/test_rng.hpp"

namespace hotspots {
namespace {

double sum_of_parts(const MemoryEstimate& e) {
  double s = 0;
  for (const MemoryPart& p : e.parts) s += p.bytes;
  return s;
}

// A disc of radius 5 km around (500000, 300000) as a 256-gon: the study area.
MultiPolygon disc() {
  Ring ring;
  for (int k = 0; k <= 256; ++k) {
    const double a = 2 * std::numbers::pi * (k % 256) / 256.0;
    ring.push_back({500000 + 5000 * std::cos(a), 300000 + 5000 * std::sin(a)});
  }
  return {Polygon{ring, {}}};
}

GiStarMemoryInput square_run(std::int64_t side, double cell) {
  GiStarMemoryInput in;
  in.shape = UnitShape::square;
  in.window_cells = side * side;
  in.units = static_cast<double>(in.window_cells);
  in.incidents = 100000;
  in.cell_size_m = cell;
  in.distance_band_m = 5 * cell;
  in.permutations = 99;
  in.clusters = true;
  in.zscores = true;
  return in;
}

TEST(GiStarMemory, PartsAddUpAndGrowWithCellsAndLocalMoran) {
  const GiStarMemoryInput small = square_run(800, 50);
  const MemoryEstimate a = estimate_gistar_memory(small);
  EXPECT_DOUBLE_EQ(a.bytes, sum_of_parts(a));
  EXPECT_FALSE(a.peak_phase.empty());
  const MemoryEstimate b = estimate_gistar_memory(square_run(4000, 10));
  EXPECT_GT(b.bytes, 20 * (a.bytes - kProgramBytes));
  GiStarMemoryInput no_lisa = small;
  no_lisa.permutations = 0;
  EXPECT_LT(estimate_gistar_memory(no_lisa).bytes, a.bytes);
  // Hexagons with a band keep neighbour lists: more than the same number of squares.
  GiStarMemoryInput hex = small;
  hex.shape = UnitShape::hexagon;
  EXPECT_GT(estimate_gistar_memory(hex).bytes, a.bytes);
}

TEST(GiStarMemory, TheCellSizeThatFitsFitsAndOneMetreLessDoesNot) {
  const GiStarMemoryInput in = square_run(4000, 10);  // 16 M cells over 40 km
  const double budget = 800e6;
  ASSERT_GT(estimate_gistar_memory(in).bytes, budget);
  const GiStarMemoryFit fit = gistar_memory_fit(in, budget);
  ASSERT_TRUE(std::isfinite(fit.cell_size_m));
  const auto at = [&](double cell) {
    GiStarMemoryInput t = in;
    const double shrink = (10 / cell) * (10 / cell);
    t.cell_size_m = cell;
    t.distance_band_m = 5 * 10;  // the band given stays; only the cells change
    t.window_cells = static_cast<std::int64_t>(std::ceil(16e6 * shrink));
    t.units = 16e6 * shrink;
    return estimate_gistar_memory(t).bytes;
  };
  EXPECT_LE(at(fit.cell_size_m), budget);
  EXPECT_GT(at(fit.cell_size_m - 1), budget);
  // Local Moran's I left out saves its 64 + 20 + lists bytes a cell: not enough here.
  EXPECT_FALSE(fit.without_local_moran);
  GiStarMemoryInput k = in;
  k.shape = UnitShape::zone;
  k.window_cells = 0;
  k.units = 2e6;
  k.distance_band_m = 0;
  k.knn = 500;
  const GiStarMemoryFit kfit = gistar_memory_fit(k, 2e9);
  ASSERT_GT(kfit.knn, 0);
  ASSERT_LT(kfit.knn, 500);
  k.knn = kfit.knn;
  EXPECT_LE(estimate_gistar_memory(k).bytes, 2e9);
  k.knn = kfit.knn + 1;
  EXPECT_GT(estimate_gistar_memory(k).bytes, 2e9);
}

TEST(GiStarMemory, TheLayoutIsTheGridThatGridUnitsBuilds) {
  testing::TestRng rng(7);
  std::vector<double> x, y;
  for (int i = 0; i < 500; ++i) {
    x.push_back(rng.uniform(496000, 504000));
    y.push_back(rng.uniform(296000, 304000));
  }
  for (const UnitShape shape : {UnitShape::square, UnitShape::hexagon}) {
    for (const bool masked : {false, true}) {
      GridUnitsOptions o;
      o.shape = shape;
      o.cell_size_m = 100;
      const MultiPolygon area = masked ? disc() : MultiPolygon{};
      const GridUnitsLayout layout = grid_units_layout(o, area, x, y);
      const Units units = grid_units(o, area, x, y);
      const std::int64_t window = shape == UnitShape::square ? units.square_grid().cell_count()
                                                             : units.hex_grid().cell_count();
      EXPECT_EQ(layout.window_cells, window);
      EXPECT_DOUBLE_EQ(layout.cell_size_m, units.cell_size_m());
      // Exact without a study area; within the boundary cells (~2 %) with one.
      EXPECT_NEAR(layout.expected_units, static_cast<double>(units.size()),
                  masked ? 0.02 * static_cast<double>(units.size()) : 0.0);
    }
  }
}

TEST(EmergingMemory, TheCubeUnitsAreThoseAnalysed) {
  testing::TestRng rng(11);
  std::vector<double> x, y;
  std::vector<std::int32_t> month;
  for (int i = 0; i < 3000; ++i) {
    x.push_back(rng.uniform(497000, 503000));
    y.push_back(rng.uniform(297000, 303000));
    month.push_back(2024 * 12 + i % 12);
  }
  GridUnitsOptions o;
  o.shape = UnitShape::hexagon;
  o.cell_size_m = 400;
  const Units units = grid_units(o, disc(), x, y);
  EmergingOptions options;
  const EmergingMemoryInput in = emerging_memory_input(units, x, y, month, options);
  const EmergingResult r = analyse_emerging(units, x, y, {}, month, options);
  EXPECT_EQ(in.cube_units, static_cast<double>(r.units.size()));
  EXPECT_EQ(in.steps, static_cast<std::int64_t>(r.steps.size()));
  EXPECT_EQ(in.months, 12);
  const MemoryEstimate with = estimate_emerging_memory(in);
  EXPECT_DOUBLE_EQ(with.bytes, sum_of_parts(with));
  EmergingMemoryInput without = in;
  without.sensitivity = false;
  EXPECT_LT(estimate_emerging_memory(without).bytes, with.bytes);
}

TEST(AnalyseMemory, TheCellSizeThatFitsFits) {
  AnalyseMemoryInput in;
  in.incidents = 400000;
  in.grid_cells = 2000000;  // 50 m over ~70 x 70 km
  in.permutations = 99;
  const MemoryEstimate e = estimate_analyse_memory(in);
  EXPECT_DOUBLE_EQ(e.bytes, sum_of_parts(e));
  const double budget = 400e6;
  ASSERT_GT(e.bytes, budget);
  const double cell = analyse_cell_size_that_fits(in, 50, budget);
  ASSERT_TRUE(std::isfinite(cell));
  const auto at = [&](double c) {
    AnalyseMemoryInput t = in;
    t.grid_cells = static_cast<std::int64_t>(2e6 * (50 / c) * (50 / c));
    return estimate_analyse_memory(t).bytes;
  };
  EXPECT_LE(at(cell), budget);
  EXPECT_GT(at(cell - 1), budget);
  // The products' phase alone (kAnalyseProductsBytes and the incidents) does not fit 200 MB.
  EXPECT_TRUE(std::isinf(analyse_cell_size_that_fits(in, 50, 200e6)));
  // The reading phase is part of the peak: a million rows read peak above 120 MB.
  in.rows_read = 1000000;
  in.grid_cells = 0;
  EXPECT_GE(estimate_analyse_memory(in).bytes, kProgramBytes + 1e6 * kBytesPerRowWhileReading);
}

// Two groups side by side: the closed form of analyse_memory.hpp, worked out here from the
// constants, and the cell size that fits follows the larger per-cell cost.
TEST(AnalyseMemory, AGroupBesideTheFirstCostsItsOwnShare) {
  AnalyseMemoryInput in;
  in.incidents = 400000;
  in.grid_cells = 2000000;
  in.permutations = 99;
  const double one = estimate_analyse_memory(in).bytes;
  in.groups_at_once = 2;
  const MemoryEstimate two = estimate_analyse_memory(in);
  EXPECT_DOUBLE_EQ(two.bytes, sum_of_parts(two));
  EXPECT_NEAR(two.bytes - one, 10e6 + 2e6 * 95, 1.0);
  const double expected =
      213e6 + 400000 * 2 * kBytesPerIncidentRead + 2e6 * (100 + 38) + 10e6 + 2e6 * 95;
  EXPECT_NEAR(two.bytes, expected, 1.0);
  const double budget = 600e6;
  const double cell = analyse_cell_size_that_fits(in, 50, budget);
  ASSERT_TRUE(std::isfinite(cell));
  AnalyseMemoryInput at = in;
  at.grid_cells = static_cast<std::int64_t>(2e6 * (50 / cell) * (50 / cell));
  EXPECT_LE(estimate_analyse_memory(at).bytes, budget);
  at.grid_cells = static_cast<std::int64_t>(2e6 * (50 / (cell - 1)) * (50 / (cell - 1)));
  EXPECT_GT(estimate_analyse_memory(at).bytes, budget);
  in.groups_at_once = 1;
  EXPECT_LT(analyse_cell_size_that_fits(in, 50, budget), cell);
}

TEST(ProgressPhase, ReportsZeroRisingSharesAndOneExactlyOnce) {
  std::vector<std::pair<std::string, double>> calls;
  const Progress progress = [&](std::string_view phase, double share) {
    calls.emplace_back(std::string(phase), share);
  };
  {
    ProgressPhase p(progress, "work", 1000);
    for (std::size_t k = 1; k <= 1000; ++k) p.advance(k);
    p.finish();  // already finished at 1000: not reported again
    p.advance(5);
  }
  ASSERT_GE(calls.size(), 3u);
  EXPECT_LE(calls.size(), 102u);  // at most one report a percent
  EXPECT_EQ(calls.front(), (std::pair<std::string, double>{"work", 0.0}));
  EXPECT_EQ(calls.back(), (std::pair<std::string, double>{"work", 1.0}));
  int ones = 0;
  for (std::size_t k = 0; k < calls.size(); ++k) {
    ones += calls[k].second == 1.0;
    if (k > 0) {
      EXPECT_GT(calls[k].second, calls[k - 1].second);
    }
  }
  EXPECT_EQ(ones, 1);
  // A phase left by an exception is not reported done; an empty Progress is never called.
  calls.clear();
  try {
    ProgressPhase p(progress, "failing", 10);
    p.advance(3);
    throw std::runtime_error("stop");
  } catch (const std::runtime_error&) {
  }
  ASSERT_FALSE(calls.empty());
  EXPECT_LT(calls.back().second, 1.0);
  const Progress none;
  ProgressPhase quiet(none, "nothing", 3);
  quiet.advance(2);
  quiet.finish();
  EXPECT_EQ(progress_phase(none, "value", [] { return 42; }), 42);
}

}  // namespace
}  // namespace hotspots
