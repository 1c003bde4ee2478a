// SPDX-License-Identifier: MIT
// Emerging hot spot analysis over Units: a planted cube whose units come out in the classes they
// were built for (both compat modes, where sfdep differs as EHSA_RULES.md says), a spatial
// planted new hot spot with time lags, the cube against a brute-force count, gaps, whole steps
// aligned to the last month, the sensitivity table's shape, and the layer files.

#include "hotspots/hotspots/emerging.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <sstream>

#include "hotspots/core/error.hpp"
#include "hotspots/hotspots/emerging_layers.hpp"
#include "hotspots/io/crs.hpp"
#include "support/scratch_dir.hpp"
#include "support/spacetime_gistar_brute.hpp"
#include "support/test_rng.hpp"

namespace hotspots {
namespace {

constexpr std::int32_t kJan2024 = 2024 * 12;

// Incidents as columns.
struct Points {
  std::vector<double> x, y, w;
  std::vector<std::int32_t> month;
  void add(double px, double py, std::int32_t m, int times = 1) {
    for (int k = 0; k < times; ++k) x.push_back(px), y.push_back(py), month.push_back(m);
  }
};

// Zones: 10 m squares 1 km apart in a row, so that no two touch: every unit is an island and a
// bin's neighbourhood is the unit itself (at t, and t − 1 ... t − K), so the planted series
// decides the class.
Units island_zones(std::size_t n) {
  std::vector<std::string> ids;
  std::vector<MultiPolygon> polygons;
  for (std::size_t i = 0; i < n; ++i) {
    const double x0 = 1000.0 * static_cast<double>(i);
    ids.push_back(fmt::format("u{:03}", i));
    polygons.push_back({Polygon{{{x0, 0}, {x0 + 10, 0}, {x0 + 10, 10}, {x0, 10}, {x0, 0}}, {}}});
  }
  return Units::zones(std::move(ids), std::move(polygons));
}

// The planted series (12 monthly counts) and the class each must come out as, under ArcGIS's
// rules and sfdep's. Background units count 40 ± 1: 0 is a cold spot, 100 a hot one.
struct Planted {
  const char* name;
  std::vector<int> series;
  EhsaClass arcgis;
  EhsaClass sfdep;
};

std::vector<int> with(std::vector<std::pair<int, int>> steps, int base = 40) {
  std::vector<int> s(12, base);
  for (auto [t, v] : steps) s[static_cast<std::size_t>(t)] = v;
  return s;
}
std::vector<int> ramp(int from, int step) {
  std::vector<int> s;
  for (int t = 0; t < 12; ++t) s.push_back(from + step * t);
  return s;
}

std::vector<Planted> planted() {
  using E = EhsaClass;
  std::vector<Planted> p = {
      {"new hot", with({{11, 100}}), E::new_hot_spot, E::new_hot_spot},
      {"consecutive hot", with({{8, 100}, {9, 100}, {10, 100}, {11, 100}}), E::consecutive_hot_spot,
       E::consecutive_hot_spot},
      {"intensifying hot", ramp(72, 3), E::intensifying_hot_spot, E::intensifying_hot_spot},
      {"persistent hot",
       {100, 102, 100, 102, 100, 102, 100, 102, 100, 102, 100, 102},
       E::persistent_hot_spot,
       E::persistent_hot_spot},
      {"diminishing hot", ramp(105, -3), E::diminishing_hot_spot, E::diminishing_hot_spot},
      {"sporadic hot", with({{2, 100}, {6, 100}, {11, 100}}), E::sporadic_hot_spot,
       E::sporadic_hot_spot},
      {"oscillating hot", with({{2, 0}, {6, 100}, {11, 100}}), E::oscillating_hot_spot,
       E::oscillating_hot_spot},
      // 11 of 12 steps hot, a quiet final step: sfdep tests "persistent" (no final-step
      // condition) before "historical".
      {"historical hot", with({{11, 40}}, 100), E::historical_hot_spot, E::persistent_hot_spot},
      {"new cold", with({{11, 0}}), E::new_cold_spot, E::new_cold_spot},
      {"consecutive cold", with({{8, 0}, {9, 0}, {10, 0}, {11, 0}}), E::consecutive_cold_spot,
       E::consecutive_cold_spot},
      {"intensifying cold", ramp(9, -1), E::intensifying_cold_spot, E::intensifying_cold_spot},
      {"persistent cold",
       {0, 2, 0, 2, 0, 2, 0, 2, 0, 2, 0, 2},
       E::persistent_cold_spot,
       E::persistent_cold_spot},
      // A cold spot warming significantly: sfdep's "intensifying hot" counts significant bins of
      // either sign and only asks tau > 0.
      {"diminishing cold", ramp(0, 1), E::diminishing_cold_spot, E::intensifying_hot_spot},
      {"sporadic cold", with({{2, 0}, {6, 0}, {11, 0}}), E::sporadic_cold_spot,
       E::sporadic_cold_spot},
      {"oscillating cold", with({{2, 100}, {6, 0}, {11, 0}}), E::oscillating_cold_spot,
       E::oscillating_cold_spot},
      {"historical cold", with({{11, 40}}, 0), E::historical_cold_spot, E::persistent_cold_spot},
  };
  return p;
}

constexpr std::size_t kBackground = 200;

// Planted units first, then the background; one incident per count at the unit's centre.
Points planted_points(const Units& units) {
  Points pts;
  const auto plan = planted();
  for (std::size_t i = 0; i < units.size(); ++i)
    for (int t = 0; t < 12; ++t) {
      const int count = i < plan.size()
                            ? plan[i].series[static_cast<std::size_t>(t)]
                            : 39 + static_cast<int>((i * 7 + static_cast<std::size_t>(t) * 3) % 3);
      pts.add(units.centre_x(i), units.centre_y(i), kJan2024 + t, count);
    }
  return pts;
}

EmergingOptions planted_options(Compat compat) {
  EmergingOptions o;
  o.gi.time_lags = 0;  // each bin alone: z is the bin's standardised count
  o.gi.fdr = false;
  o.classes.compat = compat;
  o.sensitivity = false;
  return o;
}

class EmergingPlanted : public ::testing::TestWithParam<Compat> {};

TEST_P(EmergingPlanted, ClassesComeOutAsPlanted) {
  const auto plan = planted();
  const Units units = island_zones(plan.size() + kBackground);
  const Points pts = planted_points(units);
  const EmergingResult r =
      analyse_emerging(units, pts.x, pts.y, pts.w, pts.month, planted_options(GetParam()));
  ASSERT_EQ(r.units.size(), units.size());
  ASSERT_EQ(r.steps.size(), 12u);
  EXPECT_EQ(r.islands, units.size());
  for (std::size_t i = 0; i < plan.size(); ++i) {
    const EhsaClass want = GetParam() == Compat::arcgis ? plan[i].arcgis : plan[i].sfdep;
    std::string zs;
    for (std::size_t t = 0; t < 12; ++t)
      zs += fmt::format(" {:.2f}/{}", r.gi.z[t * units.size() + i], r.gi.bin[t * units.size() + i]);
    EXPECT_EQ(ehsa_class_key(r.classes.classes[i]), ehsa_class_key(want))
        << plan[i].name << ": z/bin" << zs << "; trend p " << r.classes.z_trends[i].p;
  }
  // The background is no pattern.
  for (std::size_t i = plan.size(); i < units.size(); ++i)
    ASSERT_EQ(r.classes.classes[i], EhsaClass::no_pattern) << i;
  std::int64_t total = 0;
  for (const auto c : r.class_counts) total += c;
  EXPECT_EQ(total, static_cast<std::int64_t>(units.size()));
}

INSTANTIATE_TEST_SUITE_P(Compat, EmergingPlanted, ::testing::Values(Compat::arcgis, Compat::sfdep),
                         [](const auto& p) {
                           return std::string(p.param == Compat::arcgis ? "arcgis" : "sfdep");
                         });

// 10 x 10 cells of 100 m, 5 incidents per cell per month; a 3 x 3 block gains 30 in the final
// month. With one time lag and rook-like neighbours (band = one cell) its centre is hot at the
// final step only: a new hot spot.
TEST(Emerging, SpatialBlockAtTheFinalStepIsANewHotSpot) {
  GridSpec g;
  g.xmin = 0;
  g.ymax = 1000;
  g.cell_size_m = 100;
  g.cols = g.rows = 10;
  const Units units = Units::squares(g, nullptr);
  Points pts;
  for (std::size_t i = 0; i < units.size(); ++i)
    for (int t = 0; t < 12; ++t) {
      const std::int64_t row = units.row(i);
      const std::int64_t col = units.col(i);
      const bool block = row >= 4 && row <= 6 && col >= 4 && col <= 6 && t == 11;
      pts.add(units.centre_x(i), units.centre_y(i), kJan2024 + t, block ? 35 : 5);
    }
  EmergingOptions o;
  o.distance_band_m = 100;
  o.sensitivity = false;
  const EmergingResult r = analyse_emerging(units, pts.x, pts.y, pts.w, pts.month, o);
  const std::size_t centre = static_cast<std::size_t>(units.unit_of_cell(5 * 10 + 5));
  EXPECT_EQ(r.classes.classes[centre], EhsaClass::new_hot_spot);
  EXPECT_EQ(r.classes.classes[0], EhsaClass::no_pattern);
  EXPECT_EQ(r.islands, 0u);
  EXPECT_EQ(r.distance_band_m, 100);
  EXPECT_FALSE(r.band_default);
}

// Random incidents over a 6 x 5 grid and 2024-01..2024-07 in 2-month steps: the cube equals a
// count done here by hand (cell from the coordinates, step from the month), the leading month
// that does not fill a step is left out, units without incidents are not in the cube (and are,
// as zeros, with all_units), and the per-step totals are the cube's column sums.
TEST(Emerging, CubeMatchesBruteForceCount) {
  GridSpec g;
  g.xmin = 1000;
  g.ymax = 2000;
  g.cell_size_m = 50;
  g.cols = 6;
  g.rows = 5;
  const Units units = Units::squares(g, nullptr);
  testing::TestRng rng(7);
  Points pts;
  for (int k = 0; k < 400; ++k) {
    // Keep column 5 empty, so that some units hold no incident.
    const double x = rng.uniform(1000, 1000 + 5 * 50);
    const double y = rng.uniform(2000 - 5 * 50, 2000);
    pts.add(x, y, kJan2024 + static_cast<std::int32_t>(rng.next() % 7));
    pts.w.push_back(1 + static_cast<double>(rng.next() % 3));
  }
  EmergingOptions o;
  o.time_step_months = 2;
  o.sensitivity = false;
  o.distance_band_m = 50;
  const EmergingResult r = analyse_emerging(units, pts.x, pts.y, pts.w, pts.month, o);
  ASSERT_EQ(r.span, (Period{kJan2024 + 1, kJan2024 + 6}));
  ASSERT_EQ(r.dropped_months, std::vector<std::int32_t>{kJan2024});
  ASSERT_EQ(r.steps.size(), 3u);
  EXPECT_EQ(r.steps[1], (Period{kJan2024 + 3, kJan2024 + 4}));
  // Brute force: cell (row, col) = unit row * 6 + col; step = (month − Feb) / 2.
  std::map<std::pair<std::int64_t, std::size_t>, double> expected;
  std::int64_t outside = 0;
  for (std::size_t p = 0; p < pts.x.size(); ++p) {
    if (pts.month[p] == kJan2024) {
      ++outside;
      continue;
    }
    const auto col = static_cast<std::int64_t>(std::floor((pts.x[p] - 1000) / 50));
    const auto row = static_cast<std::int64_t>(std::floor((2000 - pts.y[p]) / 50));
    expected[{row * 6 + col, static_cast<std::size_t>((pts.month[p] - kJan2024 - 1) / 2)}] +=
        pts.w[p];
  }
  EXPECT_EQ(r.outside_span, outside);
  ASSERT_EQ(r.units.size(), 25u);  // column 5 is empty
  for (std::size_t i = 0; i < r.units.size(); ++i) {
    EXPECT_NE(units.col(static_cast<std::size_t>(r.units[i])), 5);
    for (std::size_t t = 0; t < 3; ++t) {
      const auto it = expected.find({units.cell(static_cast<std::size_t>(r.units[i])), t});
      EXPECT_EQ(r.cube.at(i, t), it == expected.end() ? 0.0 : it->second) << i << "," << t;
    }
  }
  for (std::size_t t = 0; t < 3; ++t) {
    double sum = 0;
    for (std::size_t i = 0; i < r.units.size(); ++i) sum += r.cube.at(i, t);
    EXPECT_EQ(r.step_totals[t], sum);
  }
  o.all_units = true;
  const EmergingResult all = analyse_emerging(units, pts.x, pts.y, pts.w, pts.month, o);
  ASSERT_EQ(all.units.size(), 30u);
  EXPECT_EQ(all.cube.at(5, 0), 0.0);  // r0c5: empty bins are zeros
  EXPECT_EQ(all.counted_weight, r.counted_weight);
}

// Issue #14: emerging hot spots of given values (negative allowed) on zones: every zone in the
// cube, the cube holding the values as given, and the space-time Gi* equal to the dense brute
// force (tests/support/spacetime_gistar_brute.hpp) with queen contiguity worked out here from
// the grid of touching squares, for both global windows and 0-2 time lags.
TEST(EmergingValues, SpaceTimeGiStarOnValuesIsTheDenseBruteForce) {
  constexpr int kRows = 3, kCols = 4;
  std::vector<std::string> ids;
  std::vector<MultiPolygon> polygons;
  for (int r = 0; r < kRows; ++r)
    for (int c = 0; c < kCols; ++c) {
      const double x0 = 100.0 * c, y0 = 100.0 * r;
      ids.push_back(fmt::format("z{}{}", r, c));
      polygons.push_back({Polygon{
          {{x0, y0}, {x0 + 100, y0}, {x0 + 100, y0 + 100}, {x0, y0 + 100}, {x0, y0}}, {}}});
    }
  const Units units = Units::zones(ids, polygons);
  const std::size_t n = ids.size();
  Neighbours queen;
  queen.lists.resize(n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      const int dr = static_cast<int>(i) / kCols - static_cast<int>(j) / kCols;
      const int dc = static_cast<int>(i) % kCols - static_cast<int>(j) % kCols;
      if (i != j && std::abs(dr) <= 1 && std::abs(dc) <= 1)
        queen.lists[i].push_back(static_cast<std::int32_t>(j));
    }
  testing::TestRng rng(14);
  const Period span{kJan2024, kJan2024 + 8};
  std::vector<std::vector<double>> values(9, std::vector<double>(n));
  for (auto& step : values)
    for (double& v : step) v = rng.uniform(-3, 5);
  int compared = 0;
  for (const GlobalWindow window : {GlobalWindow::cube, GlobalWindow::slice})
    for (const int lags : {0, 1, 2}) {
      EmergingOptions o;
      o.gi.time_lags = lags;
      o.gi.global_window = window;
      o.sensitivity = false;
      const EmergingResult r = analyse_emerging_values(units, values, span, o);
      ASSERT_EQ(r.units.size(), n);
      ASSERT_EQ(r.steps.size(), 9u);
      for (std::size_t t = 0; t < 9; ++t)
        for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(r.cube.at(i, t), values[t][i]);
      const testing::Brute b = testing::brute_force(r.cube, queen, lags, window);
      for (std::size_t k = 0; k < b.z.size(); ++k) {
        if (!std::isfinite(b.z[k])) continue;
        ASSERT_NEAR(r.gi.z[k], b.z[k], 1e-9) << "lags " << lags << " bin " << k;
        ++compared;
      }
    }
  EXPECT_GT(compared, 450);  // of 648 bins: the slice window leaves some z undefined
  // The sensitivity table: monthly rows filled, the rows of longer steps empty.
  EmergingOptions o;
  const EmergingResult s = analyse_emerging_values(units, values, span, o);
  ASSERT_EQ(s.sensitivity.size(), 9u);
  for (const EmergingSensitivityRow& row : s.sensitivity)
    EXPECT_EQ(row.steps, row.time_step_months == 1 ? 9u : 0u);
  // Refused: steps of several months, sizes that do not fit, a value that is not a number.
  o.time_step_months = 2;
  EXPECT_THROW((void)analyse_emerging_values(units, values, span, o), InvalidArgument);
  o.time_step_months = 1;
  EXPECT_THROW((void)analyse_emerging_values(units, values, {kJan2024, kJan2024 + 7}, o),
               InvalidArgument);
  values[4][5] = std::nan("");
  try {
    (void)analyse_emerging_values(units, values, span, o);
    FAIL() << "NaN accepted";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("z11 in 2024-05"), std::string::npos) << e.what();
  }
}

// k nearest neighbours among the cube's units: on a 10 x 10 fishnet with k = 4, every unit has
// at least 4 spatial neighbours (ties included) and W = (|N| + 1) · 2 from the second step on.
TEST(Emerging, KnnNeighboursAmongTheCubeUnits) {
  GridSpec g;
  g.ymax = 1000;
  g.cell_size_m = 100;
  g.cols = g.rows = 10;
  const Units units = Units::squares(g, nullptr);
  testing::TestRng rng(5);
  Points pts;
  for (std::size_t i = 0; i < units.size(); ++i)
    for (int t = 0; t < 6; ++t)
      pts.add(units.centre_x(i), units.centre_y(i), kJan2024 + t,
              1 + static_cast<int>(rng.poisson(3.0)));
  EmergingOptions o;
  o.knn = 4;
  o.sensitivity = false;
  const EmergingResult r = analyse_emerging(units, pts.x, pts.y, pts.w, pts.month, o);
  EXPECT_EQ(r.knn, 4);
  EXPECT_EQ(r.distance_band_m, 0);
  for (std::size_t i = 0; i < units.size(); ++i) {
    EXPECT_GE(r.gi.n_neighbors[i], 5);             // t = 0: the unit and >= 4 neighbours
    EXPECT_EQ(r.gi.n_neighbors[units.size() + i],  // t = 1: twice that
              2 * r.gi.n_neighbors[i]);
  }
  o.knn = 100;
  EXPECT_THROW((void)analyse_emerging(units, pts.x, pts.y, pts.w, pts.month, o), InvalidArgument);
}

TEST(Emerging, GapIsAnErrorNamingTheMonthsUnlessAllowed) {
  const Units units = island_zones(3);
  Points pts;
  for (int t : {0, 1, 4, 5})
    for (std::size_t i = 0; i < 3; ++i) pts.add(units.centre_x(i), units.centre_y(i), kJan2024 + t);
  EmergingOptions o;
  o.sensitivity = false;
  try {
    (void)analyse_emerging(units, pts.x, pts.y, pts.w, pts.month, o);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("2024-03, 2024-04"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("allow_gaps"), std::string::npos) << e.what();
  }
  o.allow_gaps = true;
  const EmergingResult r = analyse_emerging(units, pts.x, pts.y, pts.w, pts.month, o);
  EXPECT_EQ(r.gap_months, (std::vector<std::int32_t>{kJan2024 + 2, kJan2024 + 3}));
  EXPECT_EQ(r.steps.size(), 6u);
  // A span given beyond the data: its months without incidents are gaps too.
  o.allow_gaps = false;
  o.span = {kJan2024, kJan2024 + 6};
  EXPECT_THROW((void)analyse_emerging(units, pts.x, pts.y, pts.w, pts.month, o), Error);
}

TEST(Emerging, OptionsNameTheirFields) {
  const auto message = [](EmergingOptions o) {
    try {
      o.validate();
    } catch (const InvalidArgument& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EmergingOptions o;
  o.time_step_months = 0;
  EXPECT_NE(message(o).find("time_step_months"), std::string::npos);
  o = {};
  o.gi.time_lags = -1;
  EXPECT_NE(message(o).find("time_lags"), std::string::npos);
  o = {};
  o.distance_band_m = 100;
  o.knn = 3;
  EXPECT_NE(message(o).find("knn"), std::string::npos);
}

// 18 months of Poisson counts on 8 x 8 cells: 9 rows (steps 1, 2, 3 x lags 1, 2, 3), steps =
// months / step, class counts summing to the units of each cube; the row of the options asked
// for repeats the main result.
TEST(Emerging, SensitivityTableShape) {
  GridSpec g;
  g.xmin = 0;
  g.ymax = 800;
  g.cell_size_m = 100;
  g.cols = g.rows = 8;
  const Units units = Units::squares(g, nullptr);
  testing::TestRng rng(3);
  Points pts;
  for (std::size_t i = 0; i < units.size(); ++i)
    for (int t = 0; t < 18; ++t)
      pts.add(units.centre_x(i), units.centre_y(i), kJan2024 + t,
              static_cast<int>(rng.poisson(i < 10 ? 2.0 + t * 0.3 : 2.0)));
  EmergingOptions o;
  o.time_step_months = 2;
  o.gi.time_lags = 2;
  const EmergingResult r = analyse_emerging(units, pts.x, pts.y, pts.w, pts.month, o);
  ASSERT_EQ(r.sensitivity.size(), 9u);
  for (std::size_t k = 0; k < 9; ++k) {
    const EmergingSensitivityRow& row = r.sensitivity[k];
    EXPECT_EQ(row.time_step_months, static_cast<int>(k / 3) + 1);
    EXPECT_EQ(row.time_lags, static_cast<int>(k % 3) + 1);
    EXPECT_EQ(row.steps, 18u / static_cast<std::size_t>(row.time_step_months));
    std::int64_t total = 0;
    for (const auto c : row.counts) total += c;
    EXPECT_EQ(total, static_cast<std::int64_t>(row.units));
  }
  EXPECT_EQ(r.sensitivity[4].counts, r.class_counts);  // 2 months, 2 lags
}

TEST(EmergingLayers, FolderHoldsEveryFileAndBinsInLongForm) {
  const auto plan = planted();
  const Units units = island_zones(plan.size() + 20);
  const Points pts = planted_points(units);
  EmergingOptions o = planted_options(Compat::arcgis);
  o.sensitivity = true;
  const EmergingResult r = analyse_emerging(units, pts.x, pts.y, pts.w, pts.month, o);
  testing::ScratchDir dir("emerging_layers");
  EmergingFolderOptions fo;
  fo.title = "test";
  fo.attribution = "Contains police.uk data";
  fo.gpkg = true;
  write_emerging_folder(dir.file(""), crs_from_epsg(27700), units, r, fo);
  for (const std::string& f : emerging_folder_files(true))
    EXPECT_TRUE(std::filesystem::exists(dir.file(f))) << f;
  std::istringstream bins(testing::read_file(dir.file("bins.csv")));
  std::string line;
  std::getline(bins, line);
  EXPECT_EQ(line, "unit_id,step,count,gi_z,gi_p,gi_bin");
  std::getline(bins, line);
  EXPECT_EQ(line.substr(0, 17), "u000,2024-01,40,-");
  std::size_t rows = 1;
  while (std::getline(bins, line)) ++rows;
  EXPECT_EQ(rows, units.size() * 12);
  const std::string qml = testing::read_file(dir.file("units.qml"));
  EXPECT_NE(qml.find("attr=\"category\""), std::string::npos);
  EXPECT_NE(qml.find("label=\"Intensifying Cold Spot\""), std::string::npos);
  const std::string sens = testing::read_file(dir.file("sensitivity.csv"));
  EXPECT_EQ(sens.substr(0, 52), "time_step_months,time_lags,steps,units,no_pattern,ne");
  EXPECT_EQ(std::count(sens.begin(), sens.end(), '\n'), 10);
  const std::string geo = testing::read_file(dir.file("units.geojson"));
  EXPECT_NE(geo.find("\"pattern\": \"New Hot Spot\", \"class\": \"new_hot_spot\", \"category\": 1"),
            std::string::npos);
  EXPECT_NE(geo.find("\"category\": -8"), std::string::npos);  // historical cold
}

}  // namespace
}  // namespace hotspots
