// SPDX-License-Identifier: MIT
// Two-period change (hotspots/change.hpp): the difference and ratio surfaces against brute-force
// KDE, the cell counts against a brute-force count and the change test against R's binom.test
// and p.adjust, the overlap rule on hand-built squares sitting on its threshold, the persistence
// score on hand-built periods, and the workflow's checks of its periods.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "hotspots/core/error.hpp"
#include "hotspots/hotspots/change.hpp"
#include "unit/stats/kde_reference.hpp"

namespace hotspots {
namespace {

using ::testing::HasSubstr;

MultiPolygon square(double x0, double y0, double side) {
  Polygon p;
  p.exterior = {{x0, y0}, {x0 + side, y0}, {x0 + side, y0 + side}, {x0, y0 + side}, {x0, y0}};
  return {p};
}

GridSpec test_grid() {
  GridSpec g;
  g.xmin = 1000;
  g.ymax = 3000;
  g.cell_size_m = 50;
  g.cols = 40;
  g.rows = 30;
  return g;
}

TEST(KdeChange, DifferenceAndRatioEqualBruteForceKdeCellByCell) {
  const GridSpec g = test_grid();
  const auto a = testing::random_points(g, 300, 200, true, 11);
  const auto b = testing::random_points(g, 450, 200, true, 12);
  const KdeOptions o = testing::options(kernels::Quartic{}, 180);
  const ChangeSurfaces s = kde_change(estimate_density(a, g, o), estimate_density(b, g, o));
  const Raster ra = testing::brute_force(a, g, o);
  const Raster rb = testing::brute_force(b, g, o);
  double peak = 0;
  for (const double v : rb.values) peak = std::max(peak, v);
  ASSERT_GT(peak, 0);
  std::int64_t new_ground = 0;
  for (std::size_t i = 0; i < ra.values.size(); ++i) {
    // The engine's KDE equals brute force to ~1e-12 of the peak (kde_test.cpp); the difference
    // inherits that error twice.
    EXPECT_NEAR(s.difference.values[i], rb.values[i] - ra.values[i], 1e-9 * peak) << i;
    if (ra.values[i] > 1e-9 * peak) {
      EXPECT_NEAR(s.ratio.values[i], rb.values[i] / ra.values[i],
                  1e-9 * (1 + rb.values[i] / ra.values[i]))
          << i;
    } else if (ra.values[i] == 0) {
      EXPECT_TRUE(std::isnan(s.ratio.values[i])) << i;
      if (rb.values[i] > 0) ++new_ground;
    }
  }
  EXPECT_EQ(s.new_ground_cells, new_ground);
}

TEST(KdeChange, ZeroDenominatorIsNodataAndCountedAsNewGround) {
  GridSpec g;
  g.cols = 4;
  g.rows = 1;
  Raster before(g);
  Raster after(g);
  before.values = {0, 0, 2, Raster::nodata()};
  after.values = {0, 3, 1, 5};
  const ChangeSurfaces s = kde_change(before, after);
  EXPECT_EQ(s.difference.values[0], 0);
  EXPECT_EQ(s.difference.values[1], 3);
  EXPECT_EQ(s.difference.values[2], -1);
  EXPECT_TRUE(std::isnan(s.difference.values[3]));
  EXPECT_TRUE(std::isnan(s.ratio.values[0]));  // 0 / 0
  EXPECT_TRUE(std::isnan(s.ratio.values[1]));  // 3 / 0
  EXPECT_EQ(s.ratio.values[2], 0.5);
  EXPECT_TRUE(std::isnan(s.ratio.values[3]));
  EXPECT_EQ(s.new_ground_cells, 1);
  Raster other(GridSpec{0, 0, 1, 3, 1});
  EXPECT_THROW(std::ignore = kde_change(before, other), InvalidArgument);
}

// Puts n points at the centre of cell (row, col).
void put(const GridSpec& g, std::int64_t row, std::int64_t col, int n, std::vector<double>& x,
         std::vector<double>& y) {
  for (int i = 0; i < n; ++i) {
    x.push_back(g.centre_x(col) + 10.0 * i / n - 5);
    y.push_back(g.centre_y(row));
  }
}

TEST(CellChanges, CountsAndTheExactTestMatchRBinomTestAndPAdjust) {
  const GridSpec g = test_grid();
  std::vector<double> ax, ay, bx, by;
  // Cells: (before, after) = (9, 3), (0, 5), (60, 40), (4, 17), and one cell with 2 and 2.
  put(g, 1, 1, 9, ax, ay);
  put(g, 1, 1, 3, bx, by);
  put(g, 2, 7, 5, bx, by);
  put(g, 5, 5, 60, ax, ay);
  put(g, 5, 5, 40, bx, by);
  put(g, 29, 39, 4, ax, ay);
  put(g, 29, 39, 17, bx, by);
  put(g, 10, 0, 2, ax, ay);
  put(g, 10, 0, 2, bx, by);
  ax.push_back(g.xmin - 1);  // outside the grid: not counted
  ay.push_back(g.ymax - 1);
  const auto cells = cell_changes(g, nullptr, {ax, ay}, {bx, by}, 0.05);
  ASSERT_EQ(cells.size(), 5u);
  // Row-major order.
  std::map<std::pair<std::int64_t, std::int64_t>, CellChange> by_cell;
  for (const auto& c : cells) by_cell[{c.row, c.col}] = c;
  // R 4.x: binom.test(3, 12, 0.5)$p.value = 0.14599609375000008; binom.test(0, 5)  = 0.0625;
  // binom.test(40, 100) = 0.056887933640980867; binom.test(17, 21) = 0.0071973800659179774;
  // p.adjust(c(those four, 1), "BH") = 0.1824951171875, 0.10416666666666667, 0.10416666666666667,
  // 0.035986900329589885, 1.
  const auto& c1 = by_cell.at({1, 1});
  EXPECT_EQ(c1.before, 9);
  EXPECT_EQ(c1.after, 3);
  EXPECT_NEAR(c1.change_p, 0.14599609375000008, 1e-15);
  EXPECT_NEAR(c1.change_q, 0.1824951171875, 1e-15);
  EXPECT_NEAR(c1.change_pct, -200.0 / 3, 1e-12);
  const auto& c2 = by_cell.at({2, 7});
  EXPECT_EQ(c2.before, 0);
  EXPECT_NEAR(c2.change_p, 0.0625, 1e-15);
  EXPECT_TRUE(std::isnan(c2.change_pct));
  EXPECT_NEAR(c2.change_q, 0.10416666666666667, 1e-15);
  const auto& c3 = by_cell.at({5, 5});
  EXPECT_NEAR(c3.change_p, 0.056887933640980867, 1e-12);
  EXPECT_NEAR(c3.change_q, 0.10416666666666667, 1e-12);
  EXPECT_EQ(c3.flag, "");
  const auto& c4 = by_cell.at({29, 39});
  EXPECT_NEAR(c4.change_p, 0.0071973800659179774, 1e-15);
  EXPECT_NEAR(c4.change_q, 0.035986900329589885, 1e-15);
  EXPECT_EQ(c4.flag, "up");
  EXPECT_EQ(by_cell.at({10, 0}).change_p, 1.0);
  // A mask hides a cell from the counts and from the tests.
  CellMask mask;
  mask.inside.assign(static_cast<std::size_t>(g.cell_count()), 1);
  mask.inside[static_cast<std::size_t>(g.index(29, 39))] = 0;
  EXPECT_EQ(cell_changes(g, &mask, {ax, ay}, {bx, by}, 0.05).size(), 4u);
  EXPECT_THROW(std::ignore = cell_changes(g, nullptr, {ax, ay}, {bx, by}, 1.0), InvalidArgument);
}

TEST(MatchHotspots, OverlapRuleOnHandBuiltSquaresIncludingItsThreshold) {
  // A: a 100 m square, and one that B will not meet.
  const std::vector<MultiPolygon> before = {square(0, 0, 100), square(1000, 0, 100)};
  // B: shifted 50 m (overlap 50 % of the smaller: exactly the threshold, matches), shifted 60 m
  // (40 %: no match), a 20 m square inside A's first (100 % of the smaller), one far away.
  const std::vector<MultiPolygon> after = {square(50, 0, 100), square(0, 60, 100),
                                           square(10, 10, 20), square(5000, 0, 100)};
  const HotspotMatch m = match_hotspots(before, after, 0.5);
  EXPECT_EQ(m.before_fate[0], HotspotFate::persists);
  EXPECT_EQ(m.before_fate[1], HotspotFate::ceased);
  EXPECT_EQ(m.after_fate[0], HotspotFate::persists);
  EXPECT_EQ(m.after_fate[1], HotspotFate::new_in_after);
  EXPECT_EQ(m.after_fate[2], HotspotFate::persists);
  EXPECT_EQ(m.after_fate[3], HotspotFate::new_in_after);
  // A's first: best partner is the small square (share 1) over the shifted one (0.5).
  EXPECT_EQ(m.before_match[0], 2);
  EXPECT_NEAR(m.before_overlap[0], 1.0, 1e-12);
  EXPECT_EQ(m.before_match[1], -1);
  EXPECT_EQ(m.after_match[0], 0);
  EXPECT_NEAR(m.after_overlap[0], 0.5, 1e-12);
  EXPECT_EQ(m.after_match[1], -1);
  EXPECT_EQ(m.after_overlap[1], 0.0);
  // A stricter rule: the 50 % overlap no longer matches; a looser one takes the 40 % too.
  EXPECT_EQ(match_hotspots(before, after, 0.51).after_fate[0], HotspotFate::new_in_after);
  EXPECT_EQ(match_hotspots(before, after, 0.4).after_fate[1], HotspotFate::persists);
  // Squares touching along an edge share no area: no match however loose the rule.
  EXPECT_EQ(match_hotspots({square(0, 0, 10)}, {square(10, 0, 10)}, 1e-9).after_fate[0],
            HotspotFate::new_in_after);
  EXPECT_EQ(to_string(HotspotFate::new_in_after), "new");
  EXPECT_THROW(std::ignore = match_hotspots(before, after, 0), InvalidArgument);
  EXPECT_THROW(std::ignore = match_hotspots(before, after, 1.5), InvalidArgument);
}

TEST(HotspotPersistence, CountsPeriodsAndTheStreakEndingWithTheLatest) {
  const MultiPolygon p = square(0, 0, 100);
  const MultiPolygon q = square(1000, 0, 100);
  const MultiPolygon r = square(3000, 0, 100);
  // Oldest first: p in all four; q in the 1st, 3rd and 4th (streak 2); r only in the latest.
  const std::vector<std::vector<MultiPolygon>> periods = {
      {p, q}, {square(20, 0, 100)}, {q, p}, {p, q, r}};
  const auto s = hotspot_persistence(periods, 0.5);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].periods, 4);
  EXPECT_EQ(s[0].streak, 4);
  EXPECT_EQ(s[1].periods, 3);
  EXPECT_EQ(s[1].streak, 2);
  EXPECT_EQ(s[2].periods, 1);
  EXPECT_EQ(s[2].streak, 1);
  EXPECT_THROW(std::ignore = hotspot_persistence({}, 0.5), InvalidArgument);
}

TEST(AnalyseChange, RefusesPeriodsOfUnequalLengthOrOverlappingAndNamesTheField) {
  Incidents in;
  in.append(1500, 2500, 1, Date{2024 * 12, 0, -1}, -1, 0, 1);
  const std::vector<std::int32_t> month{2024 * 12};
  ChangeOptions o;
  o.kde.radius_m = 100;
  o.places.max_count = 5;
  const GridSpec g = test_grid();
  const Period after{2024 * 12 + 6, 2024 * 12 + 11};
  try {
    std::ignore = analyse_change(in, month, {2024 * 12, 2024 * 12 + 4}, after, g, nullptr, 1, o);
    FAIL() << "no error";
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("before: 5 months against 6 after"));
  }
  EXPECT_THROW(std::ignore = analyse_change(in, month, {2024 * 12 + 1, 2024 * 12 + 6}, after, g,
                                            nullptr, 1, o),
               InvalidArgument);
  o.kde.radius_m = 0;
  try {
    std::ignore = analyse_change(in, month, after.previous(), after, g, nullptr, 1, o);
    FAIL() << "no error";
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("kde.radius_m"));
  }
}

TEST(AnalyseChange, PlantedPlacesPersistAppearAndCeaseAndCountsAddUp) {
  // Period A: 60 incidents at (1500, 2500) and 60 at (2500, 2500); period B: 60 at (1500,
  // 2500) and 60 at (2000, 1800). The 150 m places: one persists, one ceased, one new.
  Incidents in;
  std::vector<std::int32_t> month;
  const std::int32_t m0 = 2024 * 12;
  auto add = [&](double x, double y, std::int32_t m, int n) {
    for (int i = 0; i < n; ++i) {
      in.append(x + (i % 5), y, 1, Date{m, 0, -1}, -1, 0, i);
      month.push_back(m);
    }
  };
  for (int k = 0; k < 6; ++k) {
    add(1500, 2500, m0 + k, 10);
    add(2500, 2500, m0 + k, 10);
    add(1500, 2500, m0 + 6 + k, 10);
    add(2000, 1800, m0 + 6 + k, 10);
  }
  ChangeOptions o;
  o.kde.radius_m = 200;
  o.places.max_count = 10;
  o.persistence_periods = 3;  // the period before A has no data: no place
  const Period after{m0 + 6, m0 + 11};
  const ChangeResult r =
      analyse_change(in, month, after.previous(), after, test_grid(), nullptr, 1.2, o);
  EXPECT_EQ(r.before_incidents, 120);
  EXPECT_EQ(r.after_incidents, 120);
  EXPECT_EQ(r.persists, 1);
  EXPECT_EQ(r.ceased, 1);
  EXPECT_EQ(r.new_places, 1);
  ASSERT_EQ(r.after_places.size(), 2u);
  for (const ChangePlace& p : r.after_places) {
    if (p.fate == HotspotFate::persists) {
      EXPECT_EQ(p.persistence.periods, 2);
      EXPECT_EQ(p.persistence.streak, 2);
    } else {
      EXPECT_EQ(p.persistence.periods, 1);
    }
  }
  ASSERT_EQ(r.persistence_periods.size(), 3u);
  EXPECT_EQ(r.persistence_periods[0].first, m0 - 6);
  std::int64_t before = 0, after_n = 0;
  for (const CellChange& c : r.cells) {
    before += c.before;
    after_n += c.after;
  }
  EXPECT_EQ(before, 120);
  EXPECT_EQ(after_n, 120);
  // The difference integrates to the change in incidents (the KDE keeps its mass inside the grid
  // here: every point lies more than one radius from the edge).
  double mass = 0;
  for (const double v : r.surfaces.difference.values) mass += v;
  EXPECT_NEAR(mass * 50 * 50 / 1e6, 0.0, 1e-6);
}

}  // namespace
}  // namespace hotspots
