// SPDX-License-Identifier: MIT
// Global Moran's I and Incremental Spatial Autocorrelation against brute force: a dense weights
// matrix with S0, S1, S2 taken from their definitions (Cliff & Ord 1981), O(n²) nearest
// neighbours and k-th distances, and ArcGIS's peak rule on hand-built z sequences. The
// comparison with R spdep `moran.test` on a real grid is tests/peers/optimized_vs_spdep.sh.

#include "hotspots/stats/incremental_autocorrelation.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "hotspots/core/error.hpp"
#include "hotspots/core/grid.hpp"

namespace hotspots {
namespace {

struct Dense {
  double i, ei, var, z;
  std::int64_t n;
};

// Moran's I from a dense row-standardised matrix, every sum by its definition.
Dense dense_moran(const std::vector<double>& x, const std::vector<std::vector<double>>& w01) {
  const std::size_t N = x.size();
  std::vector<std::vector<double>> w(N, std::vector<double>(N, 0.0));
  double n = 0;
  for (std::size_t i = 0; i < N; ++i) {
    double k = 0;
    for (std::size_t j = 0; j < N; ++j) k += w01[i][j];
    if (k > 0) {
      n += 1;
      for (std::size_t j = 0; j < N; ++j) w[i][j] = w01[i][j] / k;
    }
  }
  double mean = 0;
  for (double v : x) mean += v;
  mean /= static_cast<double>(N);
  double zz = 0, z4 = 0, num = 0, s0 = 0, s1 = 0, s2 = 0;
  for (std::size_t i = 0; i < N; ++i) {
    const double zi = x[i] - mean;
    zz += zi * zi;
    z4 += zi * zi * zi * zi;
    double row = 0, col = 0;
    for (std::size_t j = 0; j < N; ++j) {
      num += w[i][j] * zi * (x[j] - mean);
      s0 += w[i][j];
      s1 += 0.5 * (w[i][j] + w[j][i]) * (w[i][j] + w[j][i]);
      row += w[i][j];
      col += w[j][i];
    }
    s2 += (row + col) * (row + col);
  }
  Dense d;
  d.n = static_cast<std::int64_t>(n);
  d.i = n / s0 * num / zz;
  d.ei = -1 / (n - 1);
  const double b2 = n * z4 / (zz * zz);
  const double ei2 = (n * ((n * n - 3 * n + 3) * s1 - n * s2 + 3 * s0 * s0) -
                      b2 * ((n * n - n) * s1 - 2 * n * s2 + 6 * s0 * s0)) /
                     ((n - 1) * (n - 2) * (n - 3) * s0 * s0);
  d.var = ei2 - d.ei * d.ei;
  d.z = (d.i - d.ei) / std::sqrt(d.var);
  return d;
}

std::vector<std::vector<double>> dense_of(const Neighbours& nb) {
  const std::size_t n = nb.lists.size();
  std::vector<std::vector<double>> w(n, std::vector<double>(n, 0.0));
  for (std::size_t i = 0; i < n; ++i)
    for (std::int32_t j : nb.lists[i]) w[i][static_cast<std::size_t>(j)] = 1;
  return w;
}

struct Points {
  std::vector<double> x, y, v;
};

// A jittered cluster plus background and a few far-away points (locational outliers).
Points clustered(unsigned seed, int n) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0, 1000);
  std::normal_distribution<double> g(0, 60);
  Points p;
  for (int i = 0; i < n; ++i) {
    const bool hot = i % 3 == 0;
    const double x = hot ? 300 + g(rng) : u(rng);
    const double y = hot ? 600 + g(rng) : u(rng);
    p.x.push_back(x);
    p.y.push_back(y);
    p.v.push_back(hot ? 5 + std::floor(u(rng) / 200) : std::floor(u(rng) / 400));
  }
  for (int k = 0; k < 3; ++k) {
    p.x.push_back(9000 + 700.0 * k);
    p.y.push_back(-8000 - 1300.0 * k);
    p.v.push_back(1);
  }
  return p;
}

TEST(GlobalMoran, EqualsADenseMatrixComputationOnBandNeighbours) {
  const Points p = clustered(7, 120);
  for (double band : {90.0, 150.0, 400.0}) {
    const Neighbours nb = distance_band_neighbours(p.x, p.y, band);
    const GlobalMoran m = global_moran(p.v, nb);
    const Dense d = dense_moran(p.v, dense_of(nb));
    EXPECT_EQ(m.n, d.n) << band;
    EXPECT_NEAR(m.i, d.i, 1e-12) << band;
    EXPECT_NEAR(m.expected_i, d.ei, 1e-15) << band;
    EXPECT_NEAR(m.variance, d.var, 1e-12 * d.var) << band;
    EXPECT_NEAR(m.z, d.z, 1e-9) << band;
    EXPECT_NEAR(m.p, std::erfc(std::fabs(d.z) / std::sqrt(2.0)), 1e-12) << band;
    // The far points have no neighbours at these bands: they leave n but keep their values.
    EXPECT_EQ(m.no_neighbours + m.n, static_cast<std::int64_t>(p.x.size()));
    EXPECT_GE(m.no_neighbours, 3);
  }
}

TEST(GlobalMoran, HandlesAsymmetricListsAsTheDenseDefinition) {
  const Points p = clustered(11, 60);
  const Neighbours nb = knn_neighbours(p.x, p.y, 4);  // not symmetric
  const GlobalMoran m = global_moran(p.v, nb);
  const Dense d = dense_moran(p.v, dense_of(nb));
  EXPECT_NEAR(m.i, d.i, 1e-12);
  EXPECT_NEAR(m.variance, d.var, 1e-12 * d.var);
  EXPECT_NEAR(m.z, d.z, 1e-9);
}

TEST(GlobalMoran, ACheckerboardIsPerfectlyNegativeOnRookNeighbours) {
  // 6 x 6 checkerboard with rook neighbours (band 1.0): every neighbour differs, I = −1 exactly.
  std::vector<double> x, y, v;
  for (int r = 0; r < 6; ++r)
    for (int c = 0; c < 6; ++c) {
      x.push_back(c);
      y.push_back(r);
      v.push_back((r + c) % 2);
    }
  const GlobalMoran m = global_moran(v, distance_band_neighbours(x, y, 1.0));
  EXPECT_NEAR(m.i, -1.0, 1e-14);
  EXPECT_LT(m.z, -5);
}

TEST(GlobalMoran, RefusesValuesThatDoNotVaryAndTooFewFeatures) {
  const std::vector<double> x{0, 1, 2, 3, 4}, y(5, 0.0);
  const Neighbours nb = distance_band_neighbours(x, y, 1.0);
  EXPECT_THROW((void)global_moran(std::vector<double>(5, 2.0), nb), InvalidArgument);
  const std::vector<double> x3{0, 1, 2}, y3(3, 0.0);
  EXPECT_THROW(
      (void)global_moran(std::vector<double>{1, 2, 3}, distance_band_neighbours(x3, y3, 1.0)),
      InvalidArgument);
}

TEST(IncrementalAutocorrelation, EachBandEqualsGlobalMoranOnThatBandsLists) {
  const Points p = clustered(3, 200);
  const IncrementalAutocorrelation a = incremental_autocorrelation(p.v, p.x, p.y);
  ASSERT_EQ(a.series.size(), 10u);
  for (const MoranAtDistance& m : a.series) {
    const GlobalMoran ref = global_moran(p.v, distance_band_neighbours(p.x, p.y, m.distance_m));
    EXPECT_EQ(m.moran.n, ref.n) << m.distance_m;
    EXPECT_NEAR(m.moran.i, ref.i, 1e-12) << m.distance_m;
    EXPECT_NEAR(m.moran.variance, ref.variance, 1e-12 * ref.variance) << m.distance_m;
    EXPECT_NEAR(m.moran.z, ref.z, 1e-9) << m.distance_m;
  }
}

TEST(IncrementalAutocorrelation, StartIsTheDistanceGivingEveryNonOutlierANeighbourByBruteForce) {
  const Points p = clustered(5, 150);
  const std::size_t n = p.x.size();
  // O(n²) nearest neighbours; outliers: (d − mean) / SD >= 3 (population SD).
  std::vector<double> nn(n, INFINITY);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      if (i != j) nn[i] = std::min(nn[i], std::hypot(p.x[i] - p.x[j], p.y[i] - p.y[j]));
  double mean = 0;
  for (double d : nn) mean += d;
  mean /= static_cast<double>(n);
  double ss = 0;
  for (double d : nn) ss += (d - mean) * (d - mean);
  const double sd = std::sqrt(ss / static_cast<double>(n));
  double max_kept = 0, sum_kept = 0;
  int kept = 0, outliers = 0;
  for (double d : nn)
    if ((d - mean) / sd >= 3) {
      ++outliers;
    } else {
      max_kept = std::max(max_kept, d);
      sum_kept += d;
      ++kept;
    }
  const IncrementalAutocorrelation a = incremental_autocorrelation(p.v, p.x, p.y);
  EXPECT_EQ(a.outliers, outliers);
  EXPECT_GE(outliers, 3);  // the three far points
  EXPECT_NEAR(a.max_nn_m, max_kept, 1e-9);
  EXPECT_NEAR(a.start_m, max_kept * 1.0001, 1e-9);
  EXPECT_NEAR(a.mean_nn_m, sum_kept / kept, 1e-9);
  // At the start every non-outlier has a neighbour; only outliers are without.
  EXPECT_EQ(a.series.front().moran.no_neighbours, outliers);
  // Below the largest kept NN distance some non-outlier would have none.
  const Neighbours below = distance_band_neighbours(p.x, p.y, max_kept * 0.9999);
  std::int64_t lonely = 0;
  for (const auto& l : below.lists) lonely += l.empty() ? 1 : 0;
  EXPECT_GT(lonely, outliers);
}

TEST(IncrementalAutocorrelation, BandsEndBelowOneStandardDistanceWhenTheyWouldPassIt) {
  // A 4 x 12 block of unit cells: standard distance ≈ 3.63, every NN distance 1 (no outliers),
  // start 1.0001: the default series would end at 10.0001, so it is spread below 3.63.
  std::vector<double> x, y, v;
  for (int r = 0; r < 4; ++r)
    for (int c = 0; c < 12; ++c) {
      x.push_back(c);
      y.push_back(r);
      v.push_back(c < 4 ? 5 + r : r % 2);
    }
  const IncrementalAutocorrelation a = incremental_autocorrelation(v, x, y);
  EXPECT_EQ(a.outliers, 0);
  EXPECT_TRUE(std::isinf(a.outlier_cut_m));
  EXPECT_NEAR(a.standard_distance_m, standard_distance(x, y), 0);
  const double sdist = a.standard_distance_m;  // sqrt(var_x + var_y) = sqrt(143/12 + 5/4)
  EXPECT_NEAR(sdist, std::sqrt(143.0 / 12 + 5.0 / 4), 1e-12);
  ASSERT_TRUE(a.capped);  // 1.0001 + 9 > 3.63
  EXPECT_NEAR(a.increment_m, (sdist - 1.0001) / 10, 1e-12);
  EXPECT_LT(a.series.back().distance_m, sdist);
  EXPECT_NEAR(a.series.back().distance_m, sdist - a.increment_m, 1e-12);
  // Given start and increment are used as they are.
  IncrementalAutocorrelationOptions o;
  o.start_m = 1.5;
  o.increment_m = 2;
  const IncrementalAutocorrelation g = incremental_autocorrelation(v, x, y, o);
  EXPECT_FALSE(g.capped);
  EXPECT_DOUBLE_EQ(g.series[9].distance_m, 1.5 + 9 * 2);
}

TEST(IncrementalAutocorrelation, RoundingNoiseOfALatticeMakesNoOutliers) {
  // Cell centres (GridSpec::centre_x/y) of a 219.84 m fishnet snapped at British National Grid
  // offsets, a disc of 2,521 cells: the nearest-neighbour distances differ only in their last
  // bits (219.84334182483144 .. 219.84334182488965). None is a locational outlier.
  const double cell = 219.84334182485068;
  GridSpec g;
  g.xmin = std::floor(440000 / cell) * cell;
  g.ymax = std::ceil(320000 / cell) * cell;
  g.cell_size_m = cell;
  g.cols = 60;
  g.rows = 60;
  std::vector<double> x, y, v;
  for (int r = 0; r < 60; ++r)
    for (int c = 0; c < 60; ++c) {
      if ((r - 30) * (r - 30) + (c - 30) * (c - 30) > 800) continue;
      x.push_back(g.centre_x(c));
      y.push_back(g.centre_y(r));
      v.push_back(r < 20 && c < 25 ? 4 : (r + c) % 3 == 0);
    }
  ASSERT_EQ(x.size(), 2521u);
  const IncrementalAutocorrelation a = incremental_autocorrelation(v, x, y);
  EXPECT_EQ(a.outliers, 0);
  EXPECT_TRUE(std::isinf(a.outlier_cut_m));  // no spread: noise is not taken for one
  EXPECT_NEAR(a.start_m, cell * 1.0001, 1e-6);
  EXPECT_EQ(a.series.front().moran.no_neighbours, 0);
}

TEST(MoranPeaks, FollowArcGISRule) {
  const auto peaks = [](std::vector<double> z) { return moran_peaks(z, 1.65); };
  // Rise, peak at 2, fall, higher peak at 5.
  EXPECT_EQ(peaks({1, 2, 3, 2.5, 4, 5, 4.9}).first, 2);
  EXPECT_EQ(peaks({1, 2, 3, 2.5, 4, 5, 4.9}).max, 5);
  // A series that only falls has no peak (nothing rose before the fall).
  EXPECT_EQ(peaks({9, 8, 7, 6}).first, -1);
  // A series that only rises has none either: the last value is never a peak.
  EXPECT_EQ(peaks({1, 2, 3, 4}).first, -1);
  // A peak below the level does not count; the next one above does.
  EXPECT_EQ(peaks({1, 1.6, 1.5, 2, 3, 2}).first, 4);
  // A plateau then a fall: the last value of the plateau is the peak.
  EXPECT_EQ(peaks({1, 3, 3, 2}).first, 2);
  // Equal peaks: max is the first.
  EXPECT_EQ(peaks({1, 4, 2, 4, 1}).max, 1);
  // NaN neither rises nor falls.
  EXPECT_EQ(peaks({1, NAN, 3, 2}).first, -1);
}

TEST(KnnFallback, IsTheMeanKthNearestDistanceByBruteForce) {
  const Points p = clustered(9, 100);  // 103 points: k = 5
  const KnnDistance k = knn_fallback_distance(p.x, p.y);
  EXPECT_EQ(k.k, 5);
  double sum = 0;
  for (std::size_t i = 0; i < p.x.size(); ++i) {
    std::vector<double> d;
    for (std::size_t j = 0; j < p.x.size(); ++j)
      if (i != j) d.push_back(std::hypot(p.x[i] - p.x[j], p.y[i] - p.y[j]));
    std::sort(d.begin(), d.end());
    sum += d[4];
  }
  EXPECT_NEAR(k.mean_m, sum / static_cast<double>(p.x.size()), 1e-9);
  EXPECT_EQ(k.capped, k.mean_m > standard_distance(p.x, p.y));
  // k is clamped to 3..30.
  std::vector<double> x(20), y(20, 0.0);
  for (int i = 0; i < 20; ++i) x[static_cast<std::size_t>(i)] = i;
  EXPECT_EQ(knn_fallback_distance(x, y).k, 3);
  // 3rd nearest on a line of 20 unit-spaced points: 3 at both ends, 2 elsewhere.
  EXPECT_DOUBLE_EQ(knn_fallback_distance(x, y).mean_m, (3.0 + 3.0 + 18 * 2.0) / 20);
}

TEST(IncrementalAutocorrelationOptions, ValidateNamesTheField) {
  IncrementalAutocorrelationOptions o;
  o.distances = 1;
  try {
    o.validate();
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("distances"), std::string::npos);
  }
  o = {};
  o.outlier_sd = 0;
  try {
    o.validate();
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("outlier_sd"), std::string::npos);
  }
}

}  // namespace
}  // namespace hotspots
