// SPDX-License-Identifier: MIT
// Hotspots force by force (hot_areas_by_force.hpp) against a brute force written here: the
// quartic KDE summed directly over every incident of both forces, each force's ranked cells by
// distance (< h of one of its own incidents), its top p % by sorting, queen regions by flood fill,
// and each region's own incidents counted cell by cell.
#include "hotspots/hotspots/hot_areas_by_force.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <vector>

#include "support/test_rng.hpp"

namespace hotspots {
namespace {

struct Brute {
  std::int64_t ranked = 0;
  std::int64_t hot = 0;
  std::vector<double> region_incidents;  // descending
};

Brute brute_force(const Incidents& in, const GridSpec& g, double h, double percent, int force) {
  const auto n = static_cast<std::int64_t>(in.size());
  std::vector<double> value(static_cast<std::size_t>(g.cell_count()), std::nan(""));
  std::vector<std::int64_t> ranked;
  for (std::int64_t r = 0; r < g.rows; ++r)
    for (std::int64_t c = 0; c < g.cols; ++c) {
      const double cx = g.centre_x(c), cy = g.centre_y(r);
      bool near = false;
      double v = 0;
      for (std::int64_t i = 0; i < n; ++i) {
        const auto k = static_cast<std::size_t>(i);
        const double d = std::hypot(in.x[k] - cx, in.y[k] - cy);
        if (d >= h) continue;
        const double u = d / h;
        v += in.weight[k] * 3.0 / M_PI * (1 - u * u) * (1 - u * u) / (h * h);
        near = near || in.force[k] == force;
      }
      if (near) {
        value[static_cast<std::size_t>(r * g.cols + c)] = v;
        ranked.push_back(r * g.cols + c);
      }
    }
  Brute b;
  b.ranked = static_cast<std::int64_t>(ranked.size());
  std::vector<double> sorted;
  for (auto c : ranked) sorted.push_back(value[static_cast<std::size_t>(c)]);
  std::sort(sorted.begin(), sorted.end(), std::greater<>());
  const auto top =
      static_cast<std::size_t>(std::ceil(percent * static_cast<double>(sorted.size()) / 100));
  const double cut = sorted[top - 1];
  std::vector<int> hot(value.size(), 0);
  for (auto c : ranked)
    if (value[static_cast<std::size_t>(c)] >= cut && value[static_cast<std::size_t>(c)] > 0)
      hot[static_cast<std::size_t>(c)] = 1;
  b.hot = std::count(hot.begin(), hot.end(), 1);
  // Queen regions by flood fill; each region's own incidents.
  std::vector<int> label(value.size(), -1);
  int regions = 0;
  for (std::size_t s = 0; s < hot.size(); ++s) {
    if (!hot[s] || label[s] >= 0) continue;
    std::vector<std::size_t> stack{s};
    label[s] = regions;
    while (!stack.empty()) {
      const auto at = static_cast<std::int64_t>(stack.back());
      stack.pop_back();
      for (int dr = -1; dr <= 1; ++dr)
        for (int dc = -1; dc <= 1; ++dc) {
          const std::int64_t r = at / g.cols + dr, c = at % g.cols + dc;
          if (r < 0 || c < 0 || r >= g.rows || c >= g.cols) continue;
          const auto nb = static_cast<std::size_t>(r * g.cols + c);
          if (hot[nb] && label[nb] < 0) {
            label[nb] = regions;
            stack.push_back(nb);
          }
        }
    }
    ++regions;
  }
  b.region_incidents.assign(static_cast<std::size_t>(regions), 0);
  for (std::int64_t i = 0; i < n; ++i) {
    const auto k = static_cast<std::size_t>(i);
    if (in.force[k] != force) continue;
    const std::int64_t r = g.row_of(in.y[k]), c = g.col_of(in.x[k]);
    if (r < 0 || c < 0 || r >= g.rows || c >= g.cols) continue;
    const int l = label[static_cast<std::size_t>(r * g.cols + c)];
    if (l >= 0) b.region_incidents[static_cast<std::size_t>(l)] += in.weight[k];
  }
  std::sort(b.region_incidents.begin(), b.region_incidents.end(), std::greater<>());
  return b;
}

// Two forces side by side whose areas meet at x = 1,500 m, each with a few clusters and noise,
// a cluster of force A right at the border (so B's cells there smooth A's incidents).
Incidents two_forces() {
  Incidents in;
  in.force_keys = {"force-a", "force-b"};
  testing::TestRng rng(20261207);
  const auto add = [&](double x, double y, std::int16_t f) {
    in.append(x, y, 1.0, Date{}, -1, 0, 0, -1, f);
  };
  const double centres[][3] = {{400, 600, 0},  {900, 1300, 0},  {1450, 1000, 0},
                               {1800, 700, 1}, {2500, 1500, 1}, {1560, 1050, 1}};
  for (const auto& c : centres)
    for (int i = 0; i < 60; ++i)
      add(c[0] + rng.uniform(-120, 120), c[1] + rng.uniform(-120, 120),
          static_cast<std::int16_t>(c[2]));
  for (int i = 0; i < 150; ++i) add(rng.uniform(100, 1490), rng.uniform(100, 1900), 0);
  for (int i = 0; i < 150; ++i) add(rng.uniform(1510, 2900), rng.uniform(100, 1900), 1);
  // Force A's incidents mapped far into B's area (police.uk has such): a group of their own.
  for (int i = 0; i < 12; ++i) add(2700 + rng.uniform(-40, 40), 300 + rng.uniform(-40, 40), 0);
  return in;
}

TEST(HotAreasByForce, EachForcesTopListEqualsABruteForceOverItsOwnCells) {
  const Incidents in = two_forces();
  const GridSpec whole{0.0, 2000.0, 25.0, 120, 80};
  ForceHotAreasOptions o;
  o.kde.radius_m = 200;
  o.parameter = 10;
  const auto forces = hot_areas_by_force(in, whole, o);
  ASSERT_EQ(forces.size(), 2u);
  for (int f = 0; f < 2; ++f) {
    SCOPED_TRACE(forces[static_cast<std::size_t>(f)].force);
    const ForceHotAreas& got = forces[static_cast<std::size_t>(f)];
    const Brute want = brute_force(in, whole, o.kde.radius_m, o.parameter, f);
    EXPECT_EQ(got.ranked_cells, want.ranked);
    EXPECT_EQ(got.hot_cells, want.hot);
    ASSERT_EQ(got.areas.size(), want.region_incidents.size());
    for (std::size_t a = 0; a < got.areas.size(); ++a) {
      EXPECT_EQ(got.areas[a].rank, static_cast<int>(a) + 1);
      EXPECT_DOUBLE_EQ(got.areas[a].incidents, want.region_incidents[a]);
      EXPECT_NEAR(got.areas[a].share_incidents, want.region_incidents[a] / got.weight, 1e-12);
    }
    EXPECT_GT(got.edge_incidents, 0);  // the border clusters smooth into each other's cells
    EXPECT_EQ(got.incidents, f == 0 ? 342 : 330);  // 3 clusters of 60, 150 scattered (+12)
    EXPECT_EQ(got.groups, f == 0 ? 2 : 1);
  }
}

TEST(HotAreasByForce, IncidentsWithoutAForceAreOneForceUnknown) {
  Incidents in;
  for (int i = 0; i < 20; ++i) in.append(500.0 + i, 500.0, 1.0, Date{}, -1, 0, 0);
  ForceHotAreasOptions o;
  o.kde.radius_m = 100;
  const auto forces = hot_areas_by_force(in, GridSpec{0.0, 1000.0, 20.0, 50, 50}, o);
  ASSERT_EQ(forces.size(), 1u);
  EXPECT_EQ(forces[0].force, "unknown");
  ASSERT_EQ(forces[0].areas.size(), 1u);
  EXPECT_EQ(forces[0].areas[0].incidents, 20);
  EXPECT_EQ(forces_present(in), 0u);
}

}  // namespace
}  // namespace hotspots
