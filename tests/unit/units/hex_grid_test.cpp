// SPDX-License-Identifier: MIT
// Hexagonal grid: point assignment against a brute-force nearest centre over every hexagon of
// the window (random points, points exactly on edges and vertices), edge neighbours against a
// brute-force distance test, polygon geometry (orientation, area, shared vertices) and grids
// that cover their points.

#include "hotspots/units/hex_grid.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <set>

#include "hotspots/core/error.hpp"
#include "hotspots/units/grid_policy.hpp"
#include "support/test_rng.hpp"

namespace hotspots {
namespace {

using testing::TestRng;

const double kSqrt3 = std::sqrt(3.0);

// Brute force: the window's hexagon with the nearest centre; ties to the smaller index
// (= smaller row, then column), exactly the documented rule.
std::int64_t brute_nearest(const HexGridSpec& g, double x, double y) {
  std::int64_t best_i = -1;
  double best = std::numeric_limits<double>::infinity();
  for (std::int64_t r = 0; r < g.rows; ++r)
    for (std::int64_t c = 0; c < g.cols; ++c) {
      const double dx = x - g.centre_x(r, c);
      const double dy = y - g.centre_y(r);
      const double d2 = dx * dx + dy * dy;
      if (d2 < best) best = d2, best_i = g.index(r, c);
    }
  return best_i;
}

// Independent of the centres: is (x, y) inside or on the convex polygon (counter-clockwise),
// with a tolerance in metres?
bool in_convex(const Ring& ring, double x, double y, double tol) {
  for (std::size_t k = 0; k + 1 < ring.size(); ++k) {
    const double ex = ring[k + 1].x - ring[k].x;
    const double ey = ring[k + 1].y - ring[k].y;
    const double len = std::hypot(ex, ey);
    const double cross = (ex * (y - ring[k].y) - ey * (x - ring[k].x)) / len;
    if (cross < -tol) return false;
  }
  return true;
}

HexGridSpec test_grid() {
  // 100 m hexagons placed far from the origin, as in British National Grid coordinates.
  return hex_grid_over_extent(Extent{450000, 300000, 452000, 301500}, 100.0);
}

TEST(HexGrid, RandomPointsGoToTheNearestCentreAsBruteForce) {
  const HexGridSpec g = test_grid();
  TestRng rng(7);
  for (int i = 0; i < 5000; ++i) {
    const double x = rng.uniform(450000, 452000);
    const double y = rng.uniform(300000, 301500);
    const std::int64_t k = g.locate(x, y);
    ASSERT_EQ(k, brute_nearest(g, x, y)) << x << " " << y;
    // And the point lies in that hexagon's polygon (to 1 µm).
    EXPECT_TRUE(in_convex(g.polygon(k / g.cols, k % g.cols), x, y, 1e-6)) << x << " " << y;
  }
}

TEST(HexGrid, PointsOnEdgesAndVerticesFollowTheTieRule) {
  const HexGridSpec g = test_grid();
  int checked = 0;
  for (std::int64_t r = 3; r < 8; ++r)
    for (std::int64_t c = 3; c < 8; ++c) {
      const Ring ring = g.polygon(r, c);
      for (std::size_t v = 0; v + 1 < ring.size(); ++v) {
        const Point a = ring[v];
        const Point b = ring[v + 1];
        for (const Point p : {a, Point{(a.x + b.x) / 2, (a.y + b.y) / 2}}) {
          const std::int64_t k = g.locate(p.x, p.y);
          ASSERT_EQ(k, brute_nearest(g, p.x, p.y)) << p.x << " " << p.y;
          // The chosen hexagon touches the point (up to 1 µm): it is one of those sharing it.
          EXPECT_TRUE(in_convex(g.polygon(k / g.cols, k % g.cols), p.x, p.y, 1e-6));
          ++checked;
        }
      }
    }
  EXPECT_EQ(checked, 25 * 12);
}

TEST(HexGrid, ExactTieOnAVerticalEdgeGoesWest) {
  // w = 2: centres at whole x, so a point on the vertical edge between two hexagons of a row, at
  // the centres' height, is exactly 1 from both centres.
  const HexGridSpec g = hex_grid_over_extent(Extent{0, -20, 20, 0}, 2.0);
  const std::int64_t r = 4;
  const std::int64_t c = 3;
  const double x = g.centre_x(r, c) + 1.0;
  ASSERT_EQ(x, g.centre_x(r, c + 1) - 1.0);
  EXPECT_EQ(g.locate(x, g.centre_y(r)), g.index(r, c));
}

TEST(HexGrid, PolygonIsCounterClockwiseWithTheDocumentedSize) {
  const HexGridSpec g = test_grid();
  const Ring ring = g.polygon(5, 6);
  ASSERT_EQ(ring.size(), 7u);
  EXPECT_EQ(ring.front(), ring.back());
  EXPECT_NEAR(signed_area(ring), kSqrt3 / 2 * 100 * 100, 1e-6);  // positive: counter-clockwise
  EXPECT_NEAR(g.cell_area_m2(), kSqrt3 / 2 * 100 * 100, 1e-9);
  // Pointy-topped: the top vertex straight above the centre, flat sides east and west, the
  // flat-to-flat width is the cell size.
  EXPECT_NEAR(ring[0].x, g.centre_x(5, 6), 1e-9);
  EXPECT_NEAR(ring[0].y - g.centre_y(5), 100 / kSqrt3, 1e-9);
  EXPECT_NEAR(ring[5].x - ring[1].x, 100.0, 1e-9);
  EXPECT_EQ(ring[1].x, ring[2].x);
  // Adjacent centres are one cell size apart, rows w·√3/2.
  EXPECT_NEAR(g.centre_x(5, 7) - g.centre_x(5, 6), 100.0, 1e-9);
  EXPECT_NEAR(g.centre_y(5) - g.centre_y(6), 100 * kSqrt3 / 2, 1e-9);
}

TEST(HexGrid, NeighboursShareTwoBitIdenticalVertices) {
  const HexGridSpec g = test_grid();
  std::vector<std::int64_t> cells;
  for (std::int64_t i = 0; i < g.cell_count(); ++i) cells.push_back(i);
  const Neighbours nb = hex_edge_neighbours(g, cells);
  for (std::size_t k = 0; k < cells.size(); ++k) {
    const Ring a = g.polygon(cells[k] / g.cols, cells[k] % g.cols);
    for (const std::int32_t j : nb.lists[k]) {
      const Ring b = g.polygon(cells[static_cast<std::size_t>(j)] / g.cols,
                               cells[static_cast<std::size_t>(j)] % g.cols);
      int shared = 0;
      for (std::size_t p = 0; p + 1 < a.size(); ++p)
        for (std::size_t q = 0; q + 1 < b.size(); ++q) shared += a[p] == b[q];
      ASSERT_EQ(shared, 2) << k << " " << j;
    }
  }
}

TEST(HexGrid, EdgeNeighboursMatchBruteForceDistance) {
  const HexGridSpec g = test_grid();
  TestRng rng(3);
  std::vector<std::int64_t> cells;  // a random 70 % of the hexagons: holes and ragged edges
  for (std::int64_t i = 0; i < g.cell_count(); ++i)
    if (rng.uniform() < 0.7) cells.push_back(i);
  const Neighbours nb = hex_edge_neighbours(g, cells);
  ASSERT_EQ(nb.lists.size(), cells.size());
  std::size_t six = 0;
  for (std::size_t k = 0; k < cells.size(); ++k) {
    const double x = g.centre_x(cells[k] / g.cols, cells[k] % g.cols);
    const double y = g.centre_y(cells[k] / g.cols);
    std::vector<std::int32_t> expected;
    for (std::size_t j = 0; j < cells.size(); ++j) {
      const double d = std::hypot(g.centre_x(cells[j] / g.cols, cells[j] % g.cols) - x,
                                  g.centre_y(cells[j] / g.cols) - y);
      if (j != k && std::abs(d - 100.0) < 1e-6) expected.push_back(static_cast<std::int32_t>(j));
    }
    ASSERT_EQ(nb.lists[k], expected) << "cell " << cells[k];
    six += expected.size() == 6;
  }
  EXPECT_GT(six, 0u);
}

TEST(HexGrid, BandStencilMatchesTheRTreeBand) {
  // The lattice stencil against distance_band_neighbours (Boost R-tree on the centres, an
  // independent implementation), on a ragged 70 % mask, for bands on and between lattice
  // distances (1, √3, 2, √7, 3 spacings are exact lattice distances).
  const HexGridSpec g = test_grid();
  TestRng rng(9);
  std::vector<std::int64_t> cells;
  std::vector<double> x, y;
  for (std::int64_t i = 0; i < g.cell_count(); ++i) {
    if (rng.uniform() >= 0.7) continue;
    cells.push_back(i);
    x.push_back(g.centre_x(i / g.cols, i % g.cols));
    y.push_back(g.centre_y(i / g.cols));
  }
  for (const double band :
       {100.0, 100 * kSqrt3, 200.0, 100 * std::sqrt(7.0), 250.0, 300.0, 512.0}) {
    const Neighbours stencil = hex_band_neighbours(g, cells, band);
    const Neighbours tree = distance_band_neighbours(x, y, band * (1 + 1e-9));
    ASSERT_EQ(stencil.lists, tree.lists) << "band " << band;
  }
  // 5 spacings on a full lattice: 90 others (91 with the cell itself).
  std::vector<std::int64_t> all;
  for (std::int64_t i = 0; i < g.cell_count(); ++i) all.push_back(i);
  const Neighbours five = hex_band_neighbours(g, all, 500.0);
  EXPECT_EQ(five.lists[static_cast<std::size_t>(g.index(8, 10))].size(), 90u);
  EXPECT_THROW((void)hex_band_neighbours(g, all, 0.0), InvalidArgument);
}

TEST(HexGrid, GridsCoverTheirPoints) {
  TestRng rng(5);
  std::vector<double> x, y;
  for (int i = 0; i < 2000; ++i)
    x.push_back(rng.uniform(-3000, 2500)), y.push_back(rng.uniform(-800, 4100));
  const HexGridSpec p = hex_grid_over_points(x, y, 250.0);
  const HexGridSpec e = hex_grid_over_extent(Extent{-3000, -800, 2500, 4100}, 250.0);
  std::set<std::int64_t> rows;
  for (std::size_t i = 0; i < x.size(); ++i) {
    ASSERT_GE(p.locate(x[i], y[i]), 0);
    ASSERT_GE(e.locate(x[i], y[i]), 0);
    rows.insert(p.locate(x[i], y[i]) / p.cols);
  }
  // Extent corners (edges included) are covered too; the point window is tight.
  for (const double cx : {-3000.0, 2500.0})
    for (const double cy : {-800.0, 4100.0}) EXPECT_GE(e.locate(cx, cy), 0);
  EXPECT_LE(*rows.rbegin() - *rows.begin() + 2, p.rows);
  EXPECT_EQ(p.row0 % 2, 0);
  EXPECT_EQ(e.row0 % 2, 0);
}

TEST(HexGrid, DefaultSizeHasTheAreaOfTheSquare) {
  const double w = hex_cell_size_for_square_area(200.0);
  EXPECT_NEAR(kSqrt3 / 2 * w * w, 200.0 * 200.0, 1e-6);
}

TEST(HexGrid, BadSpecsAreRejected) {
  EXPECT_THROW((void)hex_grid_over_extent(Extent{0, 0, 10, 10}, 0.0), InvalidArgument);
  EXPECT_THROW((void)hex_grid_over_extent(Extent{}, 10.0), InvalidArgument);
  EXPECT_THROW((void)hex_grid_over_points(std::vector<double>{}, std::vector<double>{}, 10.0),
               InvalidArgument);
  HexGridSpec g = test_grid();
  EXPECT_THROW((void)hex_edge_neighbours(g, {3, 2}), InvalidArgument);
  g.row0 += 1;
  EXPECT_THROW(g.validate(), InvalidArgument);
}

}  // namespace
}  // namespace hotspots
