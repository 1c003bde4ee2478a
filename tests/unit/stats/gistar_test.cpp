// SPDX-License-Identifier: MIT
#include "hotspots/stats/gistar.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <tbb/global_control.h>
#include "support/test_rng.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <utility>
#include <vector>

#include "hotspots/core/error.hpp"

namespace hotspots {
namespace {

using ::testing::HasSubstr;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

using testing::TestRng;

// Poisson-ish counts with a few hot areas, and a mask: `holes` of the cells NaN at random plus
// a NaN rectangle in the north-west corner.
Raster random_grid(std::int64_t cols, std::int64_t rows, std::uint64_t seed, double holes,
                   bool fractional) {
  const GridSpec g{440000.0, 325000.0, 50.0, cols, rows};
  Raster r(g);
  TestRng rng(seed);
  for (std::int64_t row = 0; row < rows; ++row)
    for (std::int64_t col = 0; col < cols; ++col) {
      const double hot = (row / 4 + col / 5) % 3 == 0 ? 4.0 : 0.7;
      double v = fractional ? rng.uniform() * 10 * hot : rng.poisson(hot);
      if (rng.uniform() < holes) v = kNaN;
      if (holes > 0 && row < rows / 4 && col < cols / 3) v = kNaN;
      r.at(row, col) = v;
    }
  return r;
}

// Independent reference: Gi* from a dense n × n binary weights matrix over the in-area cells,
// w_ij = 1 if hypot(dx, dy) <= band (1 + 1e-9) (self included), and the one-pass textbook form
// S = sqrt(Σx²/n − x̄²) of Ord & Getis (1995). Returns z per cell (NaN outside).
std::vector<double> brute_force_gistar(const Raster& r, double band) {
  const GridSpec& g = r.grid;
  std::vector<std::int64_t> cells;
  for (std::int64_t i = 0; i < g.cell_count(); ++i)
    if (!std::isnan(r.values[i])) cells.push_back(i);
  const auto n = cells.size();
  std::vector<double> w(n * n, 0.0);
  for (std::size_t a = 0; a < n; ++a)
    for (std::size_t b = 0; b < n; ++b) {
      const double dx = g.centre_x(cells[a] % g.cols) - g.centre_x(cells[b] % g.cols);
      const double dy = g.centre_y(cells[a] / g.cols) - g.centre_y(cells[b] / g.cols);
      if (std::hypot(dx, dy) <= band * (1 + 1e-9)) w[a * n + b] = 1.0;
    }
  double sx = 0;
  double sxx = 0;
  for (const auto c : cells) {
    sx += r.values[c];
    sxx += r.values[c] * r.values[c];
  }
  const double nd = static_cast<double>(n);
  const double mean = sx / nd;
  const double s = std::sqrt(sxx / nd - mean * mean);
  std::vector<double> z(r.values.size(), kNaN);
  for (std::size_t a = 0; a < n; ++a) {
    double wx = 0;
    double sw = 0;
    double sw2 = 0;
    for (std::size_t b = 0; b < n; ++b) {
      wx += w[a * n + b] * r.values[cells[b]];
      sw += w[a * n + b];
      sw2 += w[a * n + b] * w[a * n + b];
    }
    const double den = s * std::sqrt((nd * sw2 - sw * sw) / (nd - 1));
    z[cells[a]] = den > 0 ? (wx - mean * sw) / den : kNaN;
  }
  return z;
}

double max_abs_diff(const std::vector<double>& a, const std::vector<double>& b) {
  double worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::isnan(a[i]) != std::isnan(b[i])) return std::numeric_limits<double>::infinity();
    if (!std::isnan(a[i])) worst = std::max(worst, std::abs(a[i] - b[i]));
  }
  return worst;
}

TEST(GiStar, ReproducesPySalDistanceBandVector) {
  // PySAL esda G_Local(star=True) test data: six points, values, binary distance band 15
  // (inclusive: points 3 and 4 are exactly 15 apart), self included.
  const std::vector<double> xs{10, 20, 40, 15, 30, 30};
  const std::vector<double> ys{10, 10, 10, 20, 20, 30};
  const std::vector<double> values{2, 3, 3.2, 5, 8, 7};
  const GiStarResult r = gistar(values, distance_band_neighbours(xs, ys, 15.0));
  const std::vector<double> expected{-1.39727626, -0.28917762, 0.65064964,
                                     -0.28917762, 1.23452088,  2.02424331};
  ASSERT_EQ(r.z.size(), expected.size());
  // The reference has 8 decimals: 1e-8 is its rounding (plus our ~1e-15 round-off).
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_NEAR(r.z[i], expected[i], 1e-8) << i;
  // Neighbour counts (self included) worked from the coordinates.
  EXPECT_EQ(r.n_neighbors, (std::vector<std::int32_t>{3, 4, 2, 4, 5, 2}));
  // Only z = 2.024 (p = 0.0429) reaches a bin: 95 % hot spot.
  EXPECT_EQ(r.bin, (std::vector<int>{0, 0, 0, 0, 0, 2}));
  // Two-sided normal p: 2(1 − Φ(2.02424331)) = 0.042945... (tabulated normal).
  EXPECT_NEAR(r.p[5], 0.0429455, 1e-6);
}

TEST(GiStar, PValuesAndBinsFollowArcGisThresholds) {
  const Raster r = random_grid(60, 60, 17, 0.05, false);
  const GiStarResult got = gistar_grid(r, 120.0);
  std::vector<int> seen(7, 0);  // how often each bin −3..3 occurs
  for (std::size_t i = 0; i < r.values.size(); ++i) {
    if (std::isnan(r.values[i])) continue;
    EXPECT_DOUBLE_EQ(got.p[i], std::erfc(std::abs(got.z[i]) / std::sqrt(2.0)));
    const double p = got.p[i];
    const int level = p <= 0.01 ? 3 : p <= 0.05 ? 2 : p <= 0.10 ? 1 : 0;
    EXPECT_EQ(got.bin[i], got.z[i] > 0 ? level : -level) << i;
    ++seen[static_cast<std::size_t>(got.bin[i] + 3)];
  }
  // The data exercise every bin, so the check above is not vacuous.
  for (std::size_t b = 0; b < seen.size(); ++b) EXPECT_GT(seen[b], 0) << "bin " << int(b) - 3;
}

TEST(GiStar, GridMatchesDenseBruteForce) {
  struct Case {
    std::int64_t cols, rows;
    std::uint64_t seed;
    double holes;
    bool fractional;
  };
  const std::vector<Case> cases{{17, 13, 1, 0.0, false},
                                {23, 19, 2, 0.2, false},
                                {9, 31, 3, 0.3, true},
                                {1, 40, 4, 0.1, false},
                                {40, 2, 5, 0.0, true},
                                // Tall enough for gistar_grid to split the rows into several
                                // blocks, each with its halo of K prefix rows.
                                {12, 90, 6, 0.15, true}};
  // Bands in metres on a 50 m grid: below one cell (self only), lattice ties (50, 100, 250:
  // 250 = |(150, 200)| = |(250, 0)|), non-ties, and one almost covering the smaller grids.
  const std::vector<double> bands{30.0, 50.0, 75.0, 100.0, 160.0, 250.0, 333.0, 1200.0};
  for (const auto& c : cases)
    for (const double band : bands) {
      const Raster r = random_grid(c.cols, c.rows, c.seed, c.holes, c.fractional);
      const GiStarResult got = gistar_grid(r, band);
      const std::vector<double> want = brute_force_gistar(r, band);
      // 1e-9 absolute on z (|z| < 10 here): the brute force uses the one-pass variance and
      // explicit sums; both agree to ~1e-13, so 1e-9 still catches any wrong neighbour.
      EXPECT_LE(max_abs_diff(got.z, want), 1e-9)
          << c.cols << "x" << c.rows << " seed " << c.seed << " band " << band;
    }
}

TEST(GiStar, GridMatchesPointEntryOnCellCentres) {
  const Raster r = random_grid(21, 16, 7, 0.25, true);
  std::vector<double> xs, ys, values;
  std::vector<std::int64_t> cells;
  for (std::int64_t row = 0; row < r.grid.rows; ++row)
    for (std::int64_t col = 0; col < r.grid.cols; ++col)
      if (!std::isnan(r.at(row, col))) {
        xs.push_back(r.grid.centre_x(col));
        ys.push_back(r.grid.centre_y(row));
        values.push_back(r.at(row, col));
        cells.push_back(r.grid.index(row, col));
      }
  // Centres are multiples of 25 m, so squared centre distances are exact and the point entry's
  // exact "d <= band" agrees with the grid's tolerance at the lattice ties 100 and 250.
  for (const double band : {49.0, 100.0, 173.0, 250.0, 410.0}) {
    const GiStarResult grid = gistar_grid(r, band);
    const GiStarResult pts = gistar(values, distance_band_neighbours(xs, ys, band));
    for (std::size_t k = 0; k < cells.size(); ++k) {
      // Different summation orders on fractional values: 1e-11 on z.
      EXPECT_NEAR(grid.z[cells[k]], pts.z[k], 1e-11) << "band " << band << " cell " << cells[k];
      EXPECT_EQ(grid.n_neighbors[cells[k]], pts.n_neighbors[k]);
      EXPECT_EQ(grid.bin[cells[k]], pts.bin[k]);
    }
  }
}

TEST(GiStar, GridOutputIsBitIdenticalForAnyThreadCount) {
  const Raster r = random_grid(301, 257, 11, 0.1, true);
  GiStarResult one;
  {
    tbb::global_control single(tbb::global_control::max_allowed_parallelism, 1);
    one = gistar_grid(r, 260.0);
  }
  const GiStarResult many = gistar_grid(r, 260.0);
  ASSERT_EQ(one.z.size(), many.z.size());
  EXPECT_EQ(std::memcmp(one.z.data(), many.z.data(), one.z.size() * sizeof(double)), 0);
  EXPECT_EQ(std::memcmp(one.p.data(), many.p.data(), one.p.size() * sizeof(double)), 0);
  EXPECT_EQ(one.bin, many.bin);
  EXPECT_EQ(one.n_neighbors, many.n_neighbors);
}

TEST(GiStar, BandBelowOneCellGivesStandardisedValues) {
  // Only the cell itself: W = 1, so Gi* = (x − x̄) / (S sqrt((n − 1)/(n − 1))) = (x − x̄)/S.
  const Raster r = random_grid(12, 10, 21, 0.1, true);
  const GiStarResult got = gistar_grid(r, 49.9);
  double sum = 0, n = 0;
  for (const double v : r.values)
    if (!std::isnan(v)) sum += v, n += 1;
  const double mean = sum / n;
  double ss = 0;
  for (const double v : r.values)
    if (!std::isnan(v)) ss += (v - mean) * (v - mean);
  const double s = std::sqrt(ss / n);
  for (std::size_t i = 0; i < r.values.size(); ++i) {
    if (std::isnan(r.values[i])) continue;
    EXPECT_NEAR(got.z[i], (r.values[i] - mean) / s, 1e-12);  // one division apart
    EXPECT_EQ(got.n_neighbors[i], 1);
  }
}

TEST(GiStar, NodataCellsAreOutsideTheStudyArea) {
  Raster r(GridSpec{0.0, 500.0, 100.0, 5, 5}, 1.0);
  r.at(2, 2) = 10.0;
  r.at(0, 0) = kNaN;
  r.at(2, 3) = kNaN;
  const GiStarResult got = gistar_grid(r, 100.0);  // rook-shaped stencil (5 cells)
  EXPECT_TRUE(std::isnan(got.z[r.grid.index(0, 0)]));
  EXPECT_TRUE(std::isnan(got.p[r.grid.index(0, 0)]));
  EXPECT_EQ(got.bin[r.grid.index(0, 0)], 0);
  EXPECT_EQ(got.n_neighbors[r.grid.index(0, 0)], 0);
  EXPECT_EQ(got.n_neighbors[r.grid.index(0, 1)], 3);  // self, east, south (west is NaN)
  EXPECT_EQ(got.n_neighbors[r.grid.index(2, 2)], 4);  // self, N, S, W (east is NaN)
  EXPECT_EQ(got.n_neighbors[r.grid.index(4, 4)], 3);  // corner
  EXPECT_GT(got.z[r.grid.index(2, 2)], 0);
  // Only the 23 in-area cells count (n = 23): 22 ones and one 10, so Σx = 32, x̄ = 32/23,
  // Σx² = 22 + 100 = 122, S² = 122/23 − (32/23)². Cell (2, 2): W = 4 (self, N, S, W),
  // Σwx = 10 + 1 + 1 + 1 = 13.
  const double n = 23, mean = 32.0 / 23.0, s = std::sqrt(122.0 / 23.0 - mean * mean), w = 4;
  const double z = (13 - mean * w) / (s * std::sqrt((n * w - w * w) / (n - 1)));
  EXPECT_NEAR(got.z[r.grid.index(2, 2)], z, 1e-12);
}

TEST(GiStar, HotBlockIsA99PercentHotSpot) {
  Raster r = random_grid(40, 40, 31, 0.0, false);
  for (std::int64_t row = 18; row < 23; ++row)
    for (std::int64_t col = 18; col < 23; ++col) r.at(row, col) = 30;
  const GiStarResult got = gistar_grid(r, 100.0);
  EXPECT_EQ(got.bin[r.grid.index(20, 20)], 3);
  EXPECT_GT(got.z[r.grid.index(20, 20)], 2.58);
}

TEST(GiStar, UndefinedStatisticIsNaN) {
  // All values equal: S = 0.
  const Raster flat(GridSpec{0.0, 300.0, 100.0, 3, 3}, 2.0);
  const GiStarResult a = gistar_grid(flat, 150.0);
  for (std::size_t i = 0; i < a.z.size(); ++i) {
    EXPECT_TRUE(std::isnan(a.z[i]));
    EXPECT_EQ(a.bin[i], 0);
  }
  // Every cell a neighbour of every cell: n W − W² = 0.
  Raster r(GridSpec{0.0, 300.0, 100.0, 3, 3}, 1.0);
  r.at(1, 1) = 5;
  const GiStarResult b = gistar_grid(r, 1000.0);
  for (std::size_t i = 0; i < b.z.size(); ++i) {
    EXPECT_TRUE(std::isnan(b.z[i]));
    EXPECT_EQ(b.n_neighbors[i], 9);
  }
}

TEST(GiStar, RejectsBadArgumentsWithMessages) {
  const Raster r(GridSpec{0.0, 300.0, 100.0, 3, 3}, 1.0);
  for (const double band : {0.0, -5.0, kNaN, std::numeric_limits<double>::infinity()}) {
    try {
      (void)gistar_grid(r, band);
      ADD_FAILURE() << "band " << band << " accepted";
    } catch (const InvalidArgument& e) {
      EXPECT_THAT(e.what(), HasSubstr("distance band must be a positive number of metres"));
    }
  }
  Raster wrong = r;
  wrong.values.pop_back();
  EXPECT_THROW((void)gistar_grid(wrong, 100.0), InvalidArgument);
  Raster lonely(GridSpec{0.0, 300.0, 100.0, 3, 3}, kNaN);
  lonely.at(1, 1) = 4;
  try {
    (void)gistar_grid(lonely, 100.0);
    ADD_FAILURE();
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("at least 2 cells in the study area"));
  }
  Raster inf = r;
  inf.at(0, 1) = std::numeric_limits<double>::infinity();
  EXPECT_THROW((void)gistar_grid(inf, 100.0), InvalidArgument);

  const std::vector<double> v{1, 2, 3};
  Neighbours nb;
  nb.lists = {{1}, {0}};
  try {
    (void)gistar(v, nb);
    ADD_FAILURE();
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("2 lists for 3 locations"));
  }
  nb.lists = {{1}, {1}, {}};
  try {
    (void)gistar(v, nb);
    ADD_FAILURE();
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("location 1 lists itself"));
  }
  nb.lists = {{1, 2, 1}, {}, {}};
  EXPECT_THROW((void)gistar(v, nb), InvalidArgument);
  nb.lists = {{3}, {}, {}};
  EXPECT_THROW((void)gistar(v, nb), InvalidArgument);
  nb.lists = {{}, {}, {}};
  try {
    (void)gistar({1, kNaN, 3}, nb);
    ADD_FAILURE();
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("values[1] is nan"));
  }
  EXPECT_THROW((void)gistar({1}, Neighbours{{{}}}), InvalidArgument);
}

TEST(Neighbours, DistanceBandMatchesBruteForce) {
  TestRng rng(41);
  std::vector<double> xs, ys;
  for (int i = 0; i < 600; ++i) {
    // Coordinates on a 0.5 m lattice so many pairs sit exactly on the band.
    xs.push_back(std::floor(rng.uniform() * 800) * 0.5);
    ys.push_back(std::floor(rng.uniform() * 800) * 0.5);
  }
  xs.push_back(xs[3]);  // a coincident pair
  ys.push_back(ys[3]);
  for (const double band : {5.0, 25.0, 60.5}) {
    const Neighbours nb = distance_band_neighbours(xs, ys, band);
    for (std::size_t i = 0; i < xs.size(); ++i) {
      std::vector<std::int32_t> want;
      for (std::size_t j = 0; j < xs.size(); ++j) {
        const double dx = xs[i] - xs[j], dy = ys[i] - ys[j];
        if (j != i && dx * dx + dy * dy <= band * band)
          want.push_back(static_cast<std::int32_t>(j));
      }
      ASSERT_EQ(nb.lists[i], want) << "point " << i << " band " << band;
    }
  }
}

TEST(Neighbours, KnnBreaksDistanceTiesBySmallerIndex) {
  // Five points on a line, 1 m apart, plus a twin of point 2.
  const std::vector<double> xs{0, 1, 2, 3, 4, 2};
  const std::vector<double> ys{0, 0, 0, 0, 0, 0};
  const Neighbours k1 = knn_neighbours(xs, ys, 1);
  EXPECT_EQ(k1.lists[1], (std::vector<std::int32_t>{0}));  // 0 and 2 and 5 at 1 m: smallest 0
  EXPECT_EQ(k1.lists[2], (std::vector<std::int32_t>{5}));  // its twin at 0 m
  EXPECT_EQ(k1.lists[3], (std::vector<std::int32_t>{2}));  // 2, 4, 5 at 1 m: smallest 2
  const Neighbours k3 = knn_neighbours(xs, ys, 3);
  EXPECT_EQ(k3.lists[2], (std::vector<std::int32_t>{1, 3, 5}));  // twin, then 1 and 3
  EXPECT_EQ(k3.lists[0], (std::vector<std::int32_t>{1, 2, 5}));  // 1 at 1 m, 2 and 5 at 2 m
}

TEST(Neighbours, KnnMatchesBruteForce) {
  TestRng rng(43);
  std::vector<double> xs, ys;
  for (int i = 0; i < 400; ++i) {  // integer coordinates: many exact distance ties
    xs.push_back(std::floor(rng.uniform() * 30));
    ys.push_back(std::floor(rng.uniform() * 30));
  }
  for (const int k : {1, 4, 9}) {
    const Neighbours nb = knn_neighbours(xs, ys, k);
    for (std::size_t i = 0; i < xs.size(); ++i) {
      std::vector<std::pair<double, std::int32_t>> all;
      for (std::size_t j = 0; j < xs.size(); ++j)
        if (j != i)
          all.emplace_back((xs[i] - xs[j]) * (xs[i] - xs[j]) + (ys[i] - ys[j]) * (ys[i] - ys[j]),
                           static_cast<std::int32_t>(j));
      std::sort(all.begin(), all.end());
      std::vector<std::int32_t> want;
      for (int t = 0; t < k; ++t) want.push_back(all[static_cast<std::size_t>(t)].second);
      std::sort(want.begin(), want.end());
      ASSERT_EQ(nb.lists[i], want) << "point " << i << " k " << k;
    }
  }
}

TEST(Neighbours, BuildersRejectBadArgumentsWithMessages) {
  const std::vector<double> xs{0, 1, 2};
  const std::vector<double> ys{0, 0, 0};
  try {
    (void)knn_neighbours(xs, ys, 3);
    ADD_FAILURE();
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("k must be between 1 and the number of points minus one (2)"));
  }
  EXPECT_THROW((void)knn_neighbours(xs, ys, 0), InvalidArgument);
  try {
    (void)distance_band_neighbours(xs, ys, 0.0);
    ADD_FAILURE();
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("band_m must be a positive number of metres"));
  }
  try {
    (void)distance_band_neighbours(xs, {0, 0}, 1.0);
    ADD_FAILURE();
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("xs and ys differ in length (3 and 2)"));
  }
  try {
    (void)distance_band_neighbours({0, kNaN, 2}, ys, 1.0);
    ADD_FAILURE();
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("point 1 has a non-finite coordinate"));
  }
}

}  // namespace
}  // namespace hotspots
