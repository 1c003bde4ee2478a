// SPDX-License-Identifier: MIT
// Units (squares, hexagons, zones) and the one Gi* pipeline over them (analyse_gistar): Gi*
// against a dense O(n²) evaluation of Ord & Getis's formula written out here, the same cells
// given as squares and as zones giving the same Gi*, and the grid policy's default band.

#include "hotspots/units/units.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "hotspots/core/error.hpp"
#include "hotspots/hotspots/gistar_units.hpp"
#include "hotspots/units/grid_policy.hpp"
#include "support/test_rng.hpp"

namespace hotspots {
namespace {

using testing::TestRng;

// Gi*_i with binary weights, self included, neighbours = centres within `band` (dense).
std::vector<double> dense_gistar(const std::vector<double>& v, const std::vector<double>& x,
                                 const std::vector<double>& y, double band) {
  const std::size_t n = v.size();
  double mean = 0;
  for (double a : v) mean += a;
  mean /= static_cast<double>(n);
  double ss = 0;
  for (double a : v) ss += (a - mean) * (a - mean);
  const double s = std::sqrt(ss / static_cast<double>(n));
  const auto dn = static_cast<double>(n);
  std::vector<double> z(n);
  for (std::size_t i = 0; i < n; ++i) {
    double wx = 0;
    double w = 0;
    for (std::size_t j = 0; j < n; ++j)
      if (std::hypot(x[i] - x[j], y[i] - y[j]) <= band * (1 + 1e-9)) wx += v[j], w += 1;
    z[i] = (wx - mean * w) / (s * std::sqrt((dn * w - w * w) / (dn - 1)));
  }
  return z;
}

struct Points {
  std::vector<double> x, y;
};

Points random_points(const Extent& e, int n, std::uint64_t seed) {
  TestRng rng(seed);
  Points p;
  for (int i = 0; i < n; ++i) {
    p.x.push_back(e.xmin + rng.uniform() * e.width());
    p.y.push_back(e.ymin + rng.uniform() * e.height());
  }
  return p;
}

GiStarUnitsOptions band_options(double band_m) {
  GiStarUnitsOptions o;
  o.distance_band_m = band_m;
  o.permutations = 0;
  return o;
}

const GridSpec kGrid{500000, 201000, 100, 8, 6};

TEST(Units, SquaresHaveIdsCentresAreasAndPolygons) {
  const Units u = Units::squares(kGrid, nullptr);
  ASSERT_EQ(u.size(), 48u);
  EXPECT_EQ(u.shape(), UnitShape::square);
  EXPECT_EQ(u.id(9), "r1c1");
  EXPECT_DOUBLE_EQ(u.centre_x(9), 500150);
  EXPECT_DOUBLE_EQ(u.centre_y(9), 200850);
  EXPECT_DOUBLE_EQ(u.area_m2(9), 10000);
  EXPECT_DOUBLE_EQ(area(u.polygon(9)), 10000);
  const std::vector<double> x = {500150, 499999, 500799.9}, y = {200850, 200500, 200400.1};
  EXPECT_EQ(u.locate(x, y), (std::vector<std::int32_t>{9, -1, 47}));
  // A mask keeps the cells inside, row-major.
  CellMask mask{kGrid, std::vector<std::uint8_t>(48, 0)};
  mask.inside[3] = mask.inside[20] = mask.inside[21] = 1;
  const Units m = Units::squares(kGrid, &mask);
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m.id(1), "r2c4");
  EXPECT_EQ(m.unit_of_cell(21), 2);
  EXPECT_EQ(m.unit_of_cell(22), -1);
}

TEST(Units, CountsAddWeightsAndReportTheRest) {
  const Units u = Units::squares(kGrid, nullptr);
  const std::vector<double> x = {500150, 500150, 400000}, y = {200850, 200850, 200850};
  const std::vector<double> w = {1.5, 2, 4};
  const UnitCounts c = count_incidents(u, x, y, w);
  EXPECT_DOUBLE_EQ(c.values[9], 3.5);
  EXPECT_DOUBLE_EQ(c.counted_weight, 3.5);
  EXPECT_DOUBLE_EQ(c.uncounted_weight, 4);
}

TEST(Units, SquareGiStarEqualsTheDenseFormula) {
  const Points p = random_points(kGrid.extent(), 400, 3);
  for (const bool masked : {false, true}) {
    CellMask mask{kGrid, std::vector<std::uint8_t>(48, 1)};
    if (masked)
      for (std::size_t i = 0; i < 48; i += 5) mask.inside[i] = 0;
    const Units u = Units::squares(kGrid, masked ? &mask : nullptr);
    const GiStarAnalysis a = analyse_gistar(u, p.x, p.y, {}, band_options(250));
    const std::vector<double> z = dense_gistar(a.counts.values, u.centres_x(), u.centres_y(), 250);
    ASSERT_EQ(a.stats.gi.z.size(), u.size());
    for (std::size_t i = 0; i < u.size(); ++i) ASSERT_NEAR(a.stats.gi.z[i], z[i], 1e-9) << i;
  }
}

TEST(Units, TheSameCellsAsZonesGiveTheSameGiStar) {
  // Zones that are exactly the square cells: centroids are the cell centres, so a band between
  // centres finds the same neighbours (R-tree lists instead of the lattice stencil).
  const Points p = random_points(kGrid.extent(), 500, 5);
  const Units squares = Units::squares(kGrid, nullptr);
  std::vector<std::string> ids;
  std::vector<MultiPolygon> polygons;
  for (std::size_t i = 0; i < squares.size(); ++i) {
    ids.push_back(squares.id(i));
    polygons.push_back(squares.polygon(i));
  }
  const Units zones = Units::zones(ids, polygons);
  // A point on a shared edge goes to the first zone, but to the eastern/southern cell: keep the
  // points off the edges.
  Points inner;
  for (std::size_t i = 0; i < p.x.size(); ++i)
    if (std::fmod(p.x[i], 100.0) > 1e-6 && std::fmod(p.y[i], 100.0) > 1e-6)
      inner.x.push_back(p.x[i]), inner.y.push_back(p.y[i]);
  const GiStarAnalysis s = analyse_gistar(squares, inner.x, inner.y, {}, band_options(250));
  const GiStarAnalysis z = analyse_gistar(zones, inner.x, inner.y, {}, band_options(250));
  ASSERT_EQ(s.counts.values, z.counts.values);
  for (std::size_t i = 0; i < squares.size(); ++i) {
    ASSERT_NEAR(s.stats.gi.z[i], z.stats.gi.z[i], 1e-9) << i;
    EXPECT_EQ(s.stats.gi.n_neighbors[i], z.stats.gi.n_neighbors[i]) << i;
  }
  // Zones by contiguity: queen contiguity of the cells is the 8 touching cells = a band of
  // sqrt(2) cell sizes.
  GiStarUnitsOptions queen = band_options(0);
  const GiStarAnalysis q = analyse_gistar(zones, inner.x, inner.y, {}, queen);
  const std::vector<double> dense =
      dense_gistar(q.counts.values, squares.centres_x(), squares.centres_y(), 100 * std::sqrt(2));
  for (std::size_t i = 0; i < zones.size(); ++i) ASSERT_NEAR(q.stats.gi.z[i], dense[i], 1e-9);
  EXPECT_FALSE(q.band_default);
  EXPECT_EQ(q.distance_band_m, 0);
}

TEST(Units, HexagonGiStarEqualsTheDenseFormula) {
  const HexGridSpec g = hex_grid_over_extent(Extent{0, 0, 1000, 800}, 100);
  std::vector<std::int64_t> cells;
  for (std::int64_t i = 0; i < g.cell_count(); i += (i % 7 == 3 ? 2 : 1)) cells.push_back(i);
  const Units u = Units::hexagons(g, cells);
  const Points p = random_points(Extent{-100, -100, 1100, 900}, 600, 7);
  const GiStarAnalysis a = analyse_gistar(u, p.x, p.y, {}, band_options(200));
  const std::vector<double> z = dense_gistar(a.counts.values, u.centres_x(), u.centres_y(), 200);
  for (std::size_t i = 0; i < u.size(); ++i) {
    if (std::isnan(a.stats.gi.z[i])) continue;  // islands
    ASSERT_NEAR(a.stats.gi.z[i], z[i], 1e-9) << i;
  }
  EXPECT_DOUBLE_EQ(u.area_m2(0), g.cell_area_m2());
}

TEST(Units, GridsDefaultToTheGridPolicyBand) {
  const Points p = random_points(kGrid.extent(), 300, 9);
  GiStarUnitsOptions none = band_options(0);
  const Units u = Units::squares(kGrid, nullptr);
  const GiStarAnalysis a = analyse_gistar(u, p.x, p.y, {}, none);
  EXPECT_TRUE(a.band_default);
  EXPECT_DOUBLE_EQ(a.distance_band_m, default_band_m(100));
  EXPECT_DOUBLE_EQ(a.distance_band_m, 500);
  const GiStarAnalysis b = analyse_gistar(u, p.x, p.y, {}, band_options(500));
  for (std::size_t i = 0; i < u.size(); ++i)  // NaN where every cell is a neighbour
    EXPECT_TRUE(a.stats.gi.z[i] == b.stats.gi.z[i] ||
                (std::isnan(a.stats.gi.z[i]) && std::isnan(b.stats.gi.z[i])))
        << i;
}

TEST(Units, ErrorsNameTheField) {
  const Units u = Units::squares(kGrid, nullptr);
  const Points p = random_points(kGrid.extent(), 50, 11);
  const auto message = [&](const GiStarUnitsOptions& o) {
    try {
      (void)analyse_gistar(u, p.x, p.y, {}, o);
    } catch (const InvalidArgument& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  EXPECT_EQ(message(band_options(50)).rfind("distance_band_m 50 m is shorter", 0), 0u);
  GiStarUnitsOptions k = band_options(0);
  k.knn = 48;
  EXPECT_EQ(message(k).rfind("knn 48: must be below the number of cells (48)", 0), 0u);
}

TEST(Units, ClustersOfSquaresAndOfTheSameZonesAgree) {
  // A hot 2 x 2 block: its cluster is the same four units, incidents and mean z whether the
  // cells are squares (cell-edge outline) or zones (GEOS union).
  std::vector<double> x, y;
  for (std::int64_t r = 0; r < kGrid.rows; ++r)
    for (std::int64_t c = 0; c < kGrid.cols; ++c) {
      const int n = (r == 2 || r == 3) && (c == 2 || c == 3) ? 20 : 1;
      for (int k = 0; k < n; ++k) x.push_back(kGrid.centre_x(c)), y.push_back(kGrid.centre_y(r));
    }
  const Units squares = Units::squares(kGrid, nullptr);
  std::vector<std::string> ids;
  std::vector<MultiPolygon> polygons;
  for (std::size_t i = 0; i < squares.size(); ++i)
    ids.push_back(squares.id(i)), polygons.push_back(squares.polygon(i));
  const Units zones = Units::zones(ids, polygons);
  GiStarClusterOptions rook;
  rook.connectivity = Connectivity::rook;
  GiStarUnitsOptions o = band_options(100);
  o.contiguity = Contiguity::rook;
  const GiStarAnalysis sa = analyse_gistar(squares, x, y, {}, o);
  GiStarUnitsOptions zo = o;
  const GiStarAnalysis za = analyse_gistar(zones, x, y, {}, zo);
  const GiStarClusters s = gistar_clusters(squares, sa, x, y, {}, rook);
  const GiStarClusters z = gistar_clusters(zones, za, x, y, {}, rook);
  ASSERT_EQ(s.hot.size(), 1u);
  ASSERT_EQ(z.hot.size(), 1u);
  EXPECT_EQ(s.hot[0].members, (std::vector<std::int32_t>{18, 19, 26, 27}));
  EXPECT_EQ(s.hot[0].members, z.hot[0].members);
  EXPECT_DOUBLE_EQ(s.hot[0].incidents, 80);
  EXPECT_DOUBLE_EQ(z.hot[0].incidents, 80);
  EXPECT_NEAR(s.hot[0].mean_z, z.hot[0].mean_z, 1e-12);
  EXPECT_NEAR(s.hot[0].area_km2, 0.04, 1e-15);
  EXPECT_NEAR(area(s.hot[0].outline), area(z.hot[0].outline), 1e-6);
}

}  // namespace
}  // namespace hotspots
