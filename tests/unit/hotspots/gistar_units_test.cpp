// SPDX-License-Identifier: MIT
// Gi* on hexagons and other units: compute_gistar_units against a dense O(n²) evaluation of the
// Ord & Getis formula written out here (not gistar()), islands, and clusters whose figures are
// counted by hand.

#include "hotspots/hotspots/gistar_units.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "hotspots/core/error.hpp"
#include "hotspots/units/hex_grid.hpp"
#include "support/test_rng.hpp"

namespace hotspots {
namespace {

using testing::TestRng;

// Gi*_i = (Σ_j w_ij x_j − x̄ W_i) / (S sqrt((n W_i − W_i²)/(n − 1))), w_ij = 1 when
// near(i, j) or i == j; S the population SD. Dense: every pair.
template <class Near>
std::vector<double> dense_gistar(const std::vector<double>& x, Near near) {
  const std::size_t n = x.size();
  double mean = 0;
  for (double v : x) mean += v;
  mean /= static_cast<double>(n);
  double ss = 0;
  for (double v : x) ss += (v - mean) * (v - mean);
  const double s = std::sqrt(ss / static_cast<double>(n));
  std::vector<double> z(n);
  for (std::size_t i = 0; i < n; ++i) {
    double wx = 0;
    double w = 0;
    for (std::size_t j = 0; j < n; ++j)
      if (i == j || near(i, j)) wx += x[j], w += 1;
    const auto dn = static_cast<double>(n);
    z[i] = (wx - mean * w) / (s * std::sqrt((dn * w - w * w) / (dn - 1)));
  }
  return z;
}

struct HexData {
  HexGridSpec grid;
  std::vector<std::int64_t> cells;
  std::vector<double> x, y, values;
};

// 30 x 24 hexagons of 50 m, 80 % of them in the study area, Poisson(3) counts plus a hot patch.
HexData hex_data() {
  HexData d;
  d.grid = hex_grid_over_extent(Extent{500000, 200000, 501400, 201000}, 50.0);
  TestRng rng(21);
  for (std::int64_t i = 0; i < d.grid.cell_count(); ++i) {
    if (rng.uniform() > 0.8) continue;
    const std::int64_t r = i / d.grid.cols;
    const std::int64_t c = i % d.grid.cols;
    d.cells.push_back(i);
    d.x.push_back(d.grid.centre_x(r, c));
    d.y.push_back(d.grid.centre_y(r));
    const bool hot = r >= 8 && r <= 10 && c >= 10 && c <= 12;
    d.values.push_back(rng.poisson(3.0) + (hot ? 12.0 : 0.0));
  }
  return d;
}

TEST(GiStarUnits, HexBandMatchesDenseFormula) {
  const HexData d = hex_data();
  const Neighbours adj = hex_edge_neighbours(d.grid, d.cells);
  GiStarUnitsOptions o;
  o.distance_band_m = 150;  // 3 spacings: an exact lattice distance, inside by the 1e-9 rule
  o.permutations = 0;
  const GiStarUnits r = compute_gistar_units(d.values, d.x, d.y, adj, o);
  const auto near = [&](std::size_t i, std::size_t j) {
    return std::hypot(d.x[i] - d.x[j], d.y[i] - d.y[j]) <= 150 * (1 + 1e-9);
  };
  const std::vector<double> z = dense_gistar(d.values, near);
  double max_z = 0;
  for (std::size_t i = 0; i < z.size(); ++i) {
    ASSERT_NEAR(r.gi.z[i], z[i], 1e-9) << i;
    max_z = std::max(max_z, z[i]);
  }
  EXPECT_GT(max_z, 3.0);  // the hot patch is found
  EXPECT_TRUE(r.lisa_i.empty());
}

TEST(GiStarUnits, HexContiguityMatchesDenseFormulaAndLisaRuns) {
  const HexData d = hex_data();
  const Neighbours adj = hex_edge_neighbours(d.grid, d.cells);
  GiStarUnitsOptions o;
  o.permutations = 99;
  const GiStarUnits r = compute_gistar_units(d.values, d.x, d.y, adj, o);
  const auto near = [&](std::size_t i, std::size_t j) {
    const double dd = std::hypot(d.x[i] - d.x[j], d.y[i] - d.y[j]);
    return std::abs(dd - 50.0) < 1e-6;  // edge neighbours: centres one spacing apart
  };
  const std::vector<double> z = dense_gistar(d.values, near);
  for (std::size_t i = 0; i < z.size(); ++i) {
    if (adj.lists[i].empty()) {
      EXPECT_TRUE(std::isnan(r.gi.z[i]));
      continue;
    }
    ASSERT_NEAR(r.gi.z[i], z[i], 1e-9) << i;
    EXPECT_EQ(r.gi.n_neighbors[i], static_cast<std::int32_t>(adj.lists[i].size() + 1));
  }
  ASSERT_EQ(r.lisa_i.size(), d.values.size());
  // Local Moran's I written out: I_i = (z_i / m2) · mean of z_j over the edge neighbours,
  // z = x − x̄, m2 = Σ z² / n.
  double mean = 0;
  for (double v : d.values) mean += v;
  mean /= static_cast<double>(d.values.size());
  double m2 = 0;
  for (double v : d.values) m2 += (v - mean) * (v - mean);
  m2 /= static_cast<double>(d.values.size());
  for (std::size_t i = 0; i < d.values.size(); ++i) {
    double lag = 0;
    int k = 0;
    for (std::size_t j = 0; j < d.values.size(); ++j)
      if (j != i && near(i, j)) lag += d.values[j] - mean, ++k;
    if (k == 0) {
      EXPECT_TRUE(std::isnan(r.lisa_i[i]));
      continue;
    }
    ASSERT_NEAR(r.lisa_i[i], (d.values[i] - mean) / m2 * lag / k, 1e-9) << i;
  }
  // Identical reruns (NaN where NaN).
  const GiStarUnits again = compute_gistar_units(d.values, d.x, d.y, adj, o);
  for (std::size_t i = 0; i < r.lisa_p.size(); ++i)
    ASSERT_TRUE(again.lisa_p[i] == r.lisa_p[i] ||
                (std::isnan(again.lisa_p[i]) && std::isnan(r.lisa_p[i])));
}

TEST(GiStarUnits, IslandsGetNaNAndAreListed) {
  // Four units in a row, touching 0-1-2; unit 3 alone.
  const std::vector<double> v = {1, 5, 2, 9};
  const std::vector<double> x = {0, 1, 2, 10}, y = {0, 0, 0, 0};
  Neighbours nb;
  nb.lists = {{1}, {0, 2}, {1}, {}};
  GiStarUnitsOptions o;
  o.permutations = 9;
  const GiStarUnits r = compute_gistar_units(v, x, y, nb, o);
  EXPECT_EQ(r.islands, (std::vector<std::int32_t>{3}));
  EXPECT_TRUE(std::isnan(r.gi.z[3]));
  EXPECT_TRUE(std::isnan(r.gi.p[3]));
  EXPECT_EQ(r.gi.bin[3], 0);
  EXPECT_TRUE(std::isnan(r.lisa_i[3]));
  EXPECT_FALSE(std::isnan(r.gi.z[1]));
}

TEST(GiStarUnits, ClustersAreConnectedSignificantUnitsCountedByHand) {
  // A 4 x 4 hexagon window; hand-set bins: a hot pair of neighbours, one hot loner, a cold one.
  const HexGridSpec g = hex_grid_over_extent(Extent{0, -300, 300, 0}, 100.0);
  std::vector<std::int64_t> cells;
  for (std::int64_t i = 0; i < g.cell_count(); ++i) cells.push_back(i);
  const Neighbours adj = hex_edge_neighbours(g, cells);
  const std::size_t n = cells.size();
  std::vector<double> values(n, 1.0);
  std::vector<MultiPolygon> polys;
  std::vector<double> areas(n, g.cell_area_m2());
  for (std::int64_t i = 0; i < g.cell_count(); ++i)
    polys.push_back({Polygon{g.polygon(i / g.cols, i % g.cols), {}}});
  GiStarResult gi;
  gi.z.assign(n, 0.0);
  gi.p.assign(n, 1.0);
  gi.bin.assign(n, 0);
  gi.n_neighbors.assign(n, 7);
  const std::int32_t a = 1 * static_cast<std::int32_t>(g.cols) + 1;  // (1, 1)
  const std::int32_t b = adj.lists[static_cast<std::size_t>(a)].front();
  const auto far = static_cast<std::int32_t>(n - 1);
  const std::int32_t cold = 0;
  ASSERT_NE(b, cold);
  for (const std::int32_t i : {a, b})
    gi.bin[static_cast<std::size_t>(i)] = 3, gi.z[static_cast<std::size_t>(i)] = 3.5;
  values[static_cast<std::size_t>(a)] = 10;
  values[static_cast<std::size_t>(b)] = 6;
  gi.bin[static_cast<std::size_t>(far)] = 2;
  gi.z[static_cast<std::size_t>(far)] = 2.1;
  values[static_cast<std::size_t>(far)] = 20;
  gi.bin[static_cast<std::size_t>(cold)] = -2;
  gi.z[static_cast<std::size_t>(cold)] = -2.2;
  values[static_cast<std::size_t>(cold)] = 0;
  ASSERT_TRUE(std::find(adj.lists[static_cast<std::size_t>(far)].begin(),
                        adj.lists[static_cast<std::size_t>(far)].end(),
                        a) == adj.lists[static_cast<std::size_t>(far)].end());
  const GiStarClusters k = gistar_unit_clusters(values, gi, adj, polys, areas, 2, true);
  ASSERT_EQ(k.hot.size(), 2u);
  ASSERT_EQ(k.cold.size(), 1u);
  double total = 0;
  for (double v : values) total += v;
  const double study = static_cast<double>(n) * g.cell_area_m2();
  // Rank 1: the loner with 20 incidents; rank 2: the pair with 16.
  EXPECT_EQ(k.hot[0].members, (std::vector<std::int32_t>{far}));
  EXPECT_DOUBLE_EQ(k.hot[0].incidents, 20);
  EXPECT_EQ(k.hot[1].members.size(), 2u);
  EXPECT_DOUBLE_EQ(k.hot[1].incidents, 16);
  EXPECT_DOUBLE_EQ(k.hot[1].mean_z, 3.5);
  EXPECT_NEAR(k.hot[1].area_km2, 2 * g.cell_area_m2() / 1e6, 1e-15);
  EXPECT_NEAR(k.hot[1].pai, (16 / total) / (2 * g.cell_area_m2() / study), 1e-12);
  // The pair dissolves into ONE polygon of 10 vertices (two hexagons sharing an edge) and the
  // area of two hexagons.
  ASSERT_EQ(k.hot[1].outline.size(), 1u);
  EXPECT_EQ(k.hot[1].outline[0].exterior.size(), 11u);
  EXPECT_NEAR(area(k.hot[1].outline), 2 * g.cell_area_m2(), 1e-6);
  EXPECT_EQ(k.cold[0].members, (std::vector<std::int32_t>{cold}));
  EXPECT_EQ(k.hot[0].rank, 1);
  EXPECT_EQ(k.hot[1].rank, 2);
  EXPECT_THROW((void)gistar_unit_clusters(values, gi, adj, polys, areas, 4, false),
               InvalidArgument);
}

TEST(GiStarUnits, OptionsAreValidated) {
  GiStarUnitsOptions o;
  o.distance_band_m = 10;
  o.knn = 3;
  EXPECT_THROW(o.validate(), InvalidArgument);
  o = {};
  o.lisa_alpha = 1.5;
  EXPECT_THROW(o.validate(), InvalidArgument);
  o = {};
  Neighbours nb;
  nb.lists = {{1}, {0}};
  EXPECT_THROW((void)compute_gistar_units({1, 2}, {0}, {0, 1}, nb, o), InvalidArgument);
}

}  // namespace
}  // namespace hotspots

namespace hotspots {
namespace {

// One rule for islands on every unit shape: a study-area square cell whose band holds no other
// study-area cell gets z = p = NaN and bin 0 and is listed, as compute_gistar_units() does on
// the same band's neighbour lists (the lattice stencil used to keep its own standardised count).
TEST(GiStarUnits, IsolatedSquareCellIsAnIslandAsOnLists) {
  const GridSpec grid{0, 1000, 100, 10, 10};
  CellMask mask{grid, std::vector<std::uint8_t>(100, 0)};
  for (int r = 0; r < 4; ++r)
    for (int c = 0; c < 4; ++c) mask.inside[static_cast<std::size_t>(r * 10 + c)] = 1;
  mask.inside[8 * 10 + 8] = 1;  // r8c8, far from the 4 x 4 block
  const Units units = Units::squares(grid, &mask);
  testing::TestRng rng(3);
  std::vector<double> x, y;
  for (int i = 0; i < 200; ++i) {
    x.push_back(rng.uniform(0, 400));
    y.push_back(rng.uniform(600, 1000));
  }
  for (int i = 0; i < 7; ++i) x.push_back(850), y.push_back(150);
  GiStarUnitsOptions o;
  o.distance_band_m = 100;
  o.permutations = 0;
  const GiStarAnalysis a = analyse_gistar(units, x, y, {}, o);
  ASSERT_EQ(units.size(), 17u);
  const std::size_t island = 16;  // the last study-area cell in row-major order
  EXPECT_EQ(a.stats.islands, (std::vector<std::int32_t>{16}));
  EXPECT_TRUE(std::isnan(a.stats.gi.z[island]));
  EXPECT_TRUE(std::isnan(a.stats.gi.p[island]));
  EXPECT_EQ(a.stats.gi.bin[island], 0);
  EXPECT_EQ(a.stats.gi.n_neighbors[island], 1);

  std::vector<double> cx, cy;
  for (std::size_t i = 0; i < units.size(); ++i) {
    cx.push_back(units.centre_x(i));
    cy.push_back(units.centre_y(i));
  }
  const Neighbours lists = units.distance_band(100);
  GiStarUnitsOptions on_given_lists = o;
  on_given_lists.distance_band_m = 0;
  const GiStarUnits on_lists =
      compute_gistar_units(a.counts.values, cx, cy, lists, on_given_lists, &lists);
  EXPECT_EQ(on_lists.islands, a.stats.islands);
  for (std::size_t i = 0; i + 1 < units.size(); ++i)
    EXPECT_NEAR(a.stats.gi.z[i], on_lists.gi.z[i], 1e-12) << i;
}

}  // namespace
}  // namespace hotspots

namespace hotspots {
namespace {

// Zones that are the cells of a 6 x 5 grid of 100 m squares, with values that are not counts:
// a rate with negative residuals.
struct ValueZones {
  Units units;
  std::vector<double> values;
};

ValueZones value_zones() {
  const GridSpec grid{0, 500, 100, 6, 5};
  const Units squares = Units::squares(grid, nullptr);
  std::vector<std::string> ids;
  std::vector<MultiPolygon> polygons;
  for (std::size_t i = 0; i < squares.size(); ++i) {
    ids.push_back(squares.id(i));
    polygons.push_back(squares.polygon(i));
  }
  testing::TestRng rng(14);
  std::vector<double> v;
  for (std::size_t i = 0; i < squares.size(); ++i) v.push_back(rng.uniform(-5.0, 3.0));
  for (const std::size_t i : {7, 8, 9, 13, 14, 15}) v[i] += 9;  // a hot patch of residuals
  return {Units::zones(std::move(ids), std::move(polygons)), v};
}

// Gi* and local Moran's I on given zone values (negative allowed) equal the formulas written
// out over queen contiguity (centres at most one diagonal apart), and are shift-invariant.
TEST(GiStarUnits, ValuesOnZonesMatchDenseFormulas) {
  const ValueZones d = value_zones();
  GiStarUnitsOptions o;
  o.permutations = 99;
  const GiStarAnalysis a = analyse_gistar_values(d.units, d.values, o);
  const std::size_t n = d.values.size();
  const auto near = [&](std::size_t i, std::size_t j) {
    return std::hypot(d.units.centre_x(i) - d.units.centre_x(j),
                      d.units.centre_y(i) - d.units.centre_y(j)) < 100 * std::sqrt(2.0) + 1e-6;
  };
  const std::vector<double> z = dense_gistar(d.values, near);
  double mean = 0;
  for (double v : d.values) mean += v;
  mean /= static_cast<double>(n);
  double m2 = 0;
  for (double v : d.values) m2 += (v - mean) * (v - mean);
  m2 /= static_cast<double>(n);
  double sum = 0;
  for (double v : d.values) sum += v;
  EXPECT_DOUBLE_EQ(a.counts.counted_weight, sum);
  EXPECT_EQ(a.counts.uncounted_weight, 0);
  EXPECT_EQ(a.counts.values, d.values);
  ASSERT_EQ(a.stats.lisa_i.size(), n);
  for (std::size_t i = 0; i < n; ++i) {
    ASSERT_NEAR(a.stats.gi.z[i], z[i], 1e-9) << i;
    double lag = 0;
    int k = 0;
    for (std::size_t j = 0; j < n; ++j)
      if (j != i && near(i, j)) lag += d.values[j] - mean, ++k;
    ASSERT_NEAR(a.stats.lisa_i[i], (d.values[i] - mean) / m2 * lag / k, 1e-9) << i;
  }
  EXPECT_GE(a.stats.gi.bin[8], 2);  // the planted patch is hot
  std::vector<double> shifted = d.values;
  for (double& v : shifted) v += 1000;
  const GiStarAnalysis s = analyse_gistar_values(d.units, shifted, o);
  for (std::size_t i = 0; i < n; ++i) {
    EXPECT_NEAR(s.stats.gi.z[i], a.stats.gi.z[i], 1e-9) << i;
    EXPECT_NEAR(s.stats.lisa_i[i], a.stats.lisa_i[i], 1e-9) << i;
  }
  // Clusters sum the members' values.
  const GiStarClusters c = gistar_clusters(d.units, a, {}, {}, {}, {});
  ASSERT_FALSE(c.hot.empty());
  double members = 0;
  for (const std::int32_t i : c.hot[0].members) members += d.values[static_cast<std::size_t>(i)];
  EXPECT_DOUBLE_EQ(c.hot[0].incidents, members);
}

// The count path is the value path on the counts: the same statistics, bit for bit.
TEST(GiStarUnits, CountPathIsTheValuePathOnCounts) {
  const ValueZones d = value_zones();
  testing::TestRng rng(5);
  std::vector<double> x, y;
  for (int i = 0; i < 400; ++i) {
    x.push_back(rng.uniform(0.5, 599.5));
    y.push_back(rng.uniform(0.5, 499.5));
  }
  GiStarUnitsOptions o;
  o.permutations = 49;
  const GiStarAnalysis counted = analyse_gistar(d.units, x, y, {}, o);
  const GiStarAnalysis valued = analyse_gistar_values(d.units, counted.counts.values, o);
  EXPECT_EQ(counted.counts.counted_weight, 400);
  for (std::size_t i = 0; i < d.values.size(); ++i) {
    EXPECT_EQ(counted.stats.gi.z[i], valued.stats.gi.z[i]) << i;
    EXPECT_EQ(counted.stats.lisa_i[i], valued.stats.lisa_i[i]) << i;
    EXPECT_EQ(counted.stats.lisa_p[i], valued.stats.lisa_p[i]) << i;
  }
}

TEST(GiStarUnits, ValuesMustBeFiniteAndOnePerUnit) {
  ValueZones d = value_zones();
  GiStarUnitsOptions o;
  o.permutations = 0;
  d.values[3] = std::numeric_limits<double>::quiet_NaN();
  try {
    (void)analyse_gistar_values(d.units, d.values, o);
    FAIL() << "NaN accepted";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find(d.units.id(3)), std::string::npos) << e.what();
  }
  d.values.pop_back();
  EXPECT_THROW((void)analyse_gistar_values(d.units, d.values, o), InvalidArgument);
}

}  // namespace
}  // namespace hotspots
