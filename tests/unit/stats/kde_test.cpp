// SPDX-License-Identifier: MIT
// Layers (tests/README.md): (a) properties of estimate_density — masks, the Gaussian's cut, the
// inclusive support, thread-count independence, option validation; (b) reference values from
// the brute-force evaluator (kde_reference.hpp) and hand-worked formulas (the 53.715 per km²
// ArcGIS check, Silverman's rule on small cases). What holds for every kernel (mass, symmetry,
// support, brute force, translation, weights = repeats) is the typed test in kernels_test.cpp.
#include "hotspots/stats/kde.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <tbb/global_control.h>
#include "support/test_rng.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <numbers>
#include <string>
#include <utility>
#include <vector>

#include "hotspots/core/error.hpp"
#include "hotspots/units/grid_policy.hpp"
#include "kde_reference.hpp"

namespace hotspots {
namespace {

using testing::bit_identical;
using testing::brute_force;
using ::testing::HasSubstr;
using testing::max_rel_to_peak;
using testing::options;
using testing::random_points;
using testing::sum;
using testing::TestRng;

constexpr double kPi = std::numbers::pi;
constexpr std::array<OutputValue, 3> kOutputs = {OutputValue::density, OutputValue::raw,
                                                 OutputValue::count};

TEST(Kde, QuarticDensityOfOnePointHalfARadiusAwayIs53_715PerKm2) {
  // ArcGIS "How Kernel Density works": density = 1/h² · 3/π · (1 − (d/h)²)² per m²; with
  // h = 100 m and d = 50 m: 3/π · 0.75² / 1e4 · 1e6 = 53.7148 per km².
  const GridSpec g{0.0, 100.0, 10.0, 10, 10};
  const WeightedPoints p{{55.0}, {5.0}, {}};  // centre of cell (9, 5); cell (9, 0) is 50 m west
  const Raster r = estimate_density(p, g, options(kernels::Quartic{}, 100.0));
  EXPECT_NEAR(r.at(9, 0), 53.715, 1e-3);
  EXPECT_NEAR(r.at(9, 0), 3 / kPi * 0.5625 * 100.0, 1e-12);
  // The point's own cell gets the peak 3/π · 100 per km².
  EXPECT_NEAR(r.at(9, 5), 300 / kPi, 1e-12);
}

TEST(Kde, QuarticMassEqualsIncidentCount) {
  // Unweighted incidents at least h from the edge, h = 10 cells: count mode sums to the number of
  // incidents up to the sampling error, 6 standard deviations of the total (the weighted case,
  // for every kernel: kernels_test.cpp).
  const GridSpec g{440000.0, 325000.0, 5.0, 400, 400};
  WeightedPoints p = random_points(GridSpec{440060.0, 324940.0, 5.0, 376, 376}, 2000, 0, true, 3);
  p.w.clear();
  const Raster r = estimate_density(p, g, options(kernels::Quartic{}, 50.0, OutputValue::count));
  EXPECT_NEAR(sum(r), 2000.0, 2000.0 * 6 * kernels::Quartic::sampling_error.sd / std::sqrt(2000.0));
}

TEST(Kde, GaussianIsCutAtTheRadiusLosingExpMinus8) {
  // σ = h/4, cut at d <= h: the continuous mass is 1 − e⁻⁸ = 0.999664537... (e⁻⁸ = 3.3546e-4).
  // On a fine grid (h = 40 cells) the discrete sum is within 1e-5 of it (max 6.3e-6 over 4000
  // random positions, numpy: the cut is a jump of only e⁻⁸ of the peak, and the smooth part is
  // sampled almost exactly), so a kernel that was not cut, or renormalised, would fail by ~3e-4.
  EXPECT_NEAR(std::exp(-8.0), 0.000335, 5e-7);
  const GridSpec g{0.0, 100.0, 1.0, 100, 100};
  const WeightedPoints p{{50.3}, {49.6}, {}};
  const Raster r = estimate_density(p, g, options(kernels::Gaussian{}, 40.0, OutputValue::count));
  EXPECT_NEAR(sum(r), 1.0 - std::exp(-8.0), 1e-5);
  // Nothing beyond h, and the value just inside h is e⁻⁸ of the peak's profile.
  const Raster raw = estimate_density(p, g, options(kernels::Gaussian{}, 40.0, OutputValue::raw));
  for (std::int64_t row = 0; row < g.rows; ++row)
    for (std::int64_t col = 0; col < g.cols; ++col) {
      const double d = std::hypot(g.centre_x(col) - 50.3, g.centre_y(row) - 49.6);
      if (d > 40.0)
        EXPECT_EQ(raw.at(row, col), 0.0);
      else
        EXPECT_GE(raw.at(row, col), std::exp(-8.0) * (1 - 1e-12));
    }
}

TEST(Kde, SupportIncludesCellsExactlyOneRadiusAway) {
  // Point at the centre of cell (5, 5), h = 20 m = 2 cells: the centres of (3, 5), (7, 5),
  // (5, 3), (5, 7) are exactly h away (d² = 400 = h², exact in double). d <= h is inclusive
  // (GRASS, QGIS): uniform counts them, the Gaussian gives them e⁻⁸; the next cells out do not.
  const GridSpec g{0.0, 110.0, 10.0, 11, 11};
  const WeightedPoints p{{55.0}, {55.0}, {}};
  const Raster uniform =
      estimate_density(p, g, options(kernels::Uniform{}, 20.0, OutputValue::raw));
  const Raster gauss = estimate_density(p, g, options(kernels::Gaussian{}, 20.0, OutputValue::raw));
  for (auto [row, col] : {std::pair{3, 5}, {7, 5}, {5, 3}, {5, 7}}) {
    EXPECT_EQ(uniform.at(row, col), 1.0);
    EXPECT_NEAR(gauss.at(row, col), std::exp(-8.0), 1e-18);
  }
  EXPECT_EQ(uniform.at(2, 5), 0.0);
  EXPECT_EQ(uniform.at(3, 4), 0.0);  // √(20² + 10²) m away
  double cells = 0;
  for (double v : uniform.values) cells += v;
  EXPECT_EQ(cells, 13.0);  // lattice points with i² + j² <= 4
}

TEST(Kde, RealWorldTranslationAgreesToRounding) {
  // A shift to British National Grid coordinates is not exact in double (shifts by whole cells
  // of dyadic coordinates are: kernels_test.cpp); the values then agree to rounding
  // (coordinates ~5e5 m, ulp 6e-11 m, relative to h = 61 m: ~1e-12).
  const GridSpec g{1024.0, 2048.0, 8.0, 50, 40};
  TestRng rng(5);
  WeightedPoints p;
  for (int i = 0; i < 300; ++i) {
    p.x.push_back(std::floor(rng.uniform(900.0, 1550.0) * 64) / 64);
    p.y.push_back(std::floor(rng.uniform(1650.0, 2150.0) * 64) / 64);
  }
  WeightedPoints p3 = p;
  GridSpec g3 = g;
  g3.xmin += 440000.0;
  g3.ymax += 285000.0;
  for (double& x : p3.x) x += 440000.0;
  for (double& y : p3.y) y += 285000.0;
  EXPECT_LE(max_rel_to_peak(estimate_density(p3, g3, options(kernels::Quartic{}, 61.0)),
                            estimate_density(p, g, options(kernels::Quartic{}, 61.0))),
            1e-10);
}

TEST(Kde, InputOrderDoesNotChangeTheResult) {
  const GridSpec g{0.0, 400.0, 4.0, 100, 100};
  const WeightedPoints p = random_points(g, 3000, 30.0, true, 21);
  WeightedPoints q;
  for (std::size_t i = p.x.size(); i-- > 0;) {  // reversed
    q.x.push_back(p.x[i]);
    q.y.push_back(p.y[i]);
    q.w.push_back(p.w[i]);
  }
  EXPECT_TRUE(bit_identical(estimate_density(p, g, options(kernels::Quartic{}, 33.0)),
                            estimate_density(q, g, options(kernels::Quartic{}, 33.0))));
}

TEST(Kde, CountingSortByRowGivesTheBitsOfTheComparisonSort) {
  // distinct_locations deals points to their rows (and a crowded row's to its columns) when the
  // rows are few against the points, and sorts them all by comparison otherwise. 600 points on
  // 6000 rows take the comparison sort; the same points among 200,000 of weight 0 (dropped, but
  // counted) take the counting sort. Crowded on purpose: a few rows hold hundreds of points,
  // one cell 200 (its column sorted by std::sort, the others by insertion), coordinates on a
  // 0.5 m lattice so that many coincide and are merged.
  const GridSpec g{0.0, 60000.0, 10.0, 20, 6000};
  TestRng rng(31);
  WeightedPoints p;
  const auto add = [&](double x0, double x1, double y0, double y1) {
    p.x.push_back(std::round(rng.uniform(x0, x1) * 2.0) / 2.0);
    p.y.push_back(std::round(rng.uniform(y0, y1) * 2.0) / 2.0);
    p.w.push_back(static_cast<double>(1 + rng.next() % 4));
  };
  for (int i = 0; i < 400; ++i) add(50.0, 150.0, 58900.0, 59000.0);
  for (int i = 0; i < 200; ++i) add(101.0, 109.0, 58951.0, 58959.0);
  // 200,000 points of weight 0 make the counting sort deal in 3 blocks (one per 65,536 points);
  // the 600 are spread among them in their order, so every block holds some of each row.
  WeightedPoints padded;
  const std::size_t every = 200000 / p.x.size();
  for (std::size_t i = 0, k = 0; i < 200000; ++i) {
    if (i % every == 0 && k < p.x.size()) {
      padded.x.push_back(p.x[k]);
      padded.y.push_back(p.y[k]);
      padded.w.push_back(p.w[k]);
      ++k;
    }
    padded.x.push_back(100.0);
    padded.y.push_back(100.0);
    padded.w.push_back(0.0);
  }
  ASSERT_EQ(padded.x.size(), 200000 + p.x.size());
  for (const Kernel k : {Kernel{kernels::Quartic{}}, Kernel{kernels::Gaussian{}}}) {
    const Raster sorted = estimate_density(p, g, options(k, 35.0));
    const Raster counted = estimate_density(padded, g, options(k, 35.0));
    EXPECT_TRUE(bit_identical(sorted, counted)) << to_string(k);
    EXPECT_LT(max_rel_to_peak(sorted, brute_force(p, g, options(k, 35.0))), 1e-12) << to_string(k);
  }
}

TEST(Kde, MaskedCellsAreNaNAndOthersUnchanged) {
  const GridSpec g{0.0, 200.0, 10.0, 20, 20};
  const WeightedPoints p = random_points(g, 100, 0, false, 4);
  CellMask mask{g, std::vector<std::uint8_t>(static_cast<std::size_t>(g.cell_count()), 1)};
  for (std::int64_t row = 0; row < g.rows; ++row)
    for (std::int64_t col = 0; col < g.cols; ++col)
      if (row + col < 12) mask.inside[static_cast<std::size_t>(g.index(row, col))] = 0;
  const Raster full = estimate_density(p, g, options(kernels::Quartic{}, 45.0));
  const Raster masked = estimate_density(p, g, options(kernels::Quartic{}, 45.0), &mask);
  for (std::size_t i = 0; i < full.values.size(); ++i) {
    if (mask.inside[i]) {
      EXPECT_EQ(masked.values[i], full.values[i]);
    } else {
      EXPECT_TRUE(std::isnan(masked.values[i]));
    }
  }
  CellMask other = mask;
  other.grid.cols = 21;
  EXPECT_THROW((void)estimate_density(p, g, options(kernels::Quartic{}, 45.0), &other),
               InvalidArgument);
}

TEST(Kde, PointsOutsideTheGridContributeToCellsWithinTheRadius) {
  const GridSpec g{0.0, 100.0, 10.0, 10, 10};
  const KdeOptions o = options(kernels::Quartic{}, 30.0);
  // 12 m west of the grid: reaches the centres of column 0 (17 m away) and column 1 (27 m).
  const WeightedPoints west{{-12.0}, {55.0}, {}};
  const Raster r = estimate_density(west, g, o);
  EXPECT_GT(r.at(4, 0), 0.0);
  EXPECT_GT(r.at(4, 1), 0.0);
  EXPECT_EQ(r.at(4, 2), 0.0);
  EXPECT_LE(max_rel_to_peak(r, brute_force(west, g, o)), 1e-14);
  // Beyond the radius of every cell centre: no contribution at all.
  const WeightedPoints far{{-26.0}, {55.0}, {}};
  EXPECT_EQ(sum(estimate_density(far, g, o)), 0.0);
}

// Edge loss: the study area is a disc of radius 70 m in a 200 m grid; points fall on and around
// the grid. Independent computation: brute-force KDE over EVERY point (inside and outside the
// disc) at the study-area cells. with_edge_points(inside, outside) must give that; the inside
// points alone must not (the test can fail), and the count of edge points must equal a
// brute-force count of the outside points within h of a study-area cell centre.
TEST(Kde, EdgePointsGiveTheDensityOfEveryIncidentOnTheStudyArea) {
  const GridSpec g{0.0, 200.0, 10.0, 20, 20};
  const double h = 35.0;
  const KdeOptions o = options(kernels::Quartic{}, h);
  const WeightedPoints all = random_points(g, 600, 60.0, /*weighted=*/true, 11);
  const auto in_disc = [](double x, double y) {
    return (x - 100) * (x - 100) + (y - 100) * (y - 100) <= 70.0 * 70.0;
  };
  CellMask mask{g, std::vector<std::uint8_t>(static_cast<std::size_t>(g.cell_count()), 0)};
  for (std::int64_t row = 0; row < g.rows; ++row)
    for (std::int64_t col = 0; col < g.cols; ++col)
      mask.inside[static_cast<std::size_t>(g.index(row, col))] =
          in_disc(g.centre_x(col), g.centre_y(row)) ? 1 : 0;
  WeightedPoints inside, outside;
  for (std::size_t i = 0; i < all.x.size(); ++i) {
    WeightedPoints& to = in_disc(all.x[i], all.y[i]) ? inside : outside;
    to.x.push_back(all.x[i]);
    to.y.push_back(all.y[i]);
    to.w.push_back(all.w[i]);
  }
  std::int64_t expected_edge = 0;
  double expected_weight = 0;
  for (std::size_t i = 0; i < outside.x.size(); ++i) {
    bool reach = false;
    for (std::int64_t row = 0; row < g.rows && !reach; ++row)
      for (std::int64_t col = 0; col < g.cols && !reach; ++col) {
        const double dx = g.centre_x(col) - outside.x[i];
        const double dy = g.centre_y(row) - outside.y[i];
        reach =
            mask.inside[static_cast<std::size_t>(g.index(row, col))] && dx * dx + dy * dy <= h * h;
      }
    if (reach) ++expected_edge, expected_weight += outside.w[i];
  }
  const SmoothingPoints s = with_edge_points(inside, outside, g, &mask, h);
  EXPECT_EQ(s.edge_incidents, expected_edge);
  EXPECT_DOUBLE_EQ(s.edge_weight, expected_weight);
  EXPECT_GT(s.edge_incidents, 20);  // the case is not empty
  EXPECT_LT(s.edge_incidents, static_cast<std::int64_t>(outside.x.size()));  // nor everything

  const Raster reference = brute_force(all, g, o);
  const Raster with_edge = estimate_density(s.points, g, o, &mask);
  const Raster without = estimate_density(inside, g, o, &mask);
  double peak = 0, worst_with = 0, worst_without = 0;
  for (std::size_t i = 0; i < reference.values.size(); ++i) {
    if (!mask.inside[i]) continue;
    peak = std::max(peak, reference.values[i]);
    worst_with = std::max(worst_with, std::abs(with_edge.values[i] - reference.values[i]));
    worst_without = std::max(worst_without, std::abs(without.values[i] - reference.values[i]));
  }
  EXPECT_LE(worst_with / peak, 1e-12);
  EXPECT_GT(worst_without / peak, 0.05);  // dropping them really does lower the edge cells

  // Without a mask every cell of the grid is the study area.
  const auto reach_all = within_reach_of_cells(outside.x, outside.y, g, nullptr, h);
  for (std::size_t i = 0; i < outside.x.size(); ++i) {
    const bool near = outside.x[i] >= -h && outside.x[i] <= 200 + h && outside.y[i] >= -h &&
                      outside.y[i] <= 200 + h;
    if (!near) {
      EXPECT_EQ(reach_all[i], 0);
    }
  }
  EXPECT_THROW((void)within_reach_of_cells({1.0}, {}, g, &mask, h), InvalidArgument);
  EXPECT_THROW((void)within_reach_of_cells({1.0}, {1.0}, g, &mask, 0.0), InvalidArgument);
}

TEST(Kde, SameBitsWithOneOrTwoThreads) {
  // 4000 points (30% duplicates, weighted) on 500 × 300 cells: many row bands, so two threads
  // really do share the work.
  const GridSpec g{440000.0, 325000.0, 10.0, 500, 300};
  const WeightedPoints p = random_points(g, 4000, 100.0, true, 13);
  for (const Kernel k : {Kernel{kernels::Quartic{}}, Kernel{kernels::Gaussian{}}}) {
    Raster one, two;
    {
      tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 1);
      one = estimate_density(p, g, options(k, 120.0));
    }
    {
      tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 2);
      two = estimate_density(p, g, options(k, 120.0));
    }
    EXPECT_TRUE(bit_identical(one, two)) << to_string(k);
  }
}

TEST(Kde, ZeroWeightsAndEmptyInputsGiveZeros) {
  const GridSpec g{0.0, 100.0, 10.0, 10, 10};
  const WeightedPoints zero{{50.0, 20.0}, {50.0, 20.0}, {0.0, 0.0}};
  EXPECT_EQ(sum(estimate_density(zero, g, options(kernels::Quartic{}, 30.0))), 0.0);
  EXPECT_EQ(sum(estimate_density(WeightedPoints{}, g, options(kernels::Quartic{}, 30.0))), 0.0);
  const GridSpec empty{0.0, 100.0, 10.0, 0, 0};
  EXPECT_TRUE(estimate_density(zero, empty, options(kernels::Quartic{}, 30.0)).values.empty());
}

TEST(Kde, RejectsBadOptionsAndInputs) {
  const GridSpec g{0.0, 100.0, 10.0, 10, 10};
  const WeightedPoints ok{{50.0}, {50.0}, {}};
  for (double bad : {0.0, -5.0, std::numeric_limits<double>::quiet_NaN(),
                     std::numeric_limits<double>::infinity()}) {
    try {
      options(kernels::Quartic{}, bad).validate();
      ADD_FAILURE() << "radius " << bad << " accepted";
    } catch (const InvalidArgument& e) {
      EXPECT_THAT(e.what(), HasSubstr("radius_m"));
    }
  }
  EXPECT_NO_THROW(options(kernels::Quartic{}, 1e-3).validate());
  EXPECT_THROW((void)estimate_density(ok, g, options(kernels::Quartic{}, 0.0)), InvalidArgument);

  const auto message = [&](const WeightedPoints& p) -> std::string {
    try {
      (void)estimate_density(p, g, options(kernels::Quartic{}, 30.0));
    } catch (const InvalidArgument& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_THAT(message({{1.0, 2.0}, {1.0}, {}}), HasSubstr("2 x coordinates but 1 y"));
  EXPECT_THAT(message({{1.0}, {1.0}, {1.0, 2.0}}), HasSubstr("2 weights for 1 points"));
  EXPECT_THAT(message({{1.0, std::numeric_limits<double>::quiet_NaN()}, {1.0, 2.0}, {}}),
              HasSubstr("point 1 has a non-finite coordinate"));
  EXPECT_THAT(message({{1.0}, {1.0}, {-1.0}}), HasSubstr("point 0 has weight -1"));
  EXPECT_THAT(message({{1.0}, {1.0}, {std::numeric_limits<double>::infinity()}}),
              HasSubstr("weights must be finite and >= 0"));
  GridSpec bad_grid = g;
  bad_grid.cell_size_m = 0;
  EXPECT_THROW((void)estimate_density(ok, bad_grid, options(kernels::Quartic{}, 30.0)),
               InvalidArgument);
}

TEST(Kde, ParsesKernelAndOutputNames) {
  for (OutputValue v : kOutputs) EXPECT_EQ(parse_output_value(to_string(v)), v);
  EXPECT_EQ(to_string(Kernel{kernels::Quartic{}}), "quartic");
  try {
    (void)parse_kernel("biweight");
    ADD_FAILURE() << "biweight accepted";
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("unknown kernel 'biweight'"));
    EXPECT_THAT(e.what(),
                HasSubstr("quartic, epanechnikov, triweight, triangular, uniform, gaussian"));
  }
  try {
    (void)parse_output_value("scaled");
    ADD_FAILURE() << "scaled accepted";
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("unknown output value 'scaled'; valid output values: density, "
                                    "raw, count"));
  }
}

TEST(Kde, SilvermanRadiusUsesStandardDistanceWhenSmaller) {
  // Square corners: mean centre (1, 1), every distance √2, so SD = Dm = √2 and
  // SD < √(1/ln 2)·Dm: h = 0.9 · √2 · 4^(−0.2).
  const WeightedPoints p{{0, 2, 0, 2}, {0, 0, 2, 2}, {}};
  EXPECT_NEAR(silverman_radius(p), 0.9 * std::sqrt(2.0) * std::pow(4.0, -0.2), 1e-14);
}

TEST(Kde, SilvermanRadiusUsesMedianDistanceWhenSmaller) {
  // Mean centre (0, 0); distances 1, 1, 1, 1, 2, 2, 50, 50 (n = 8). Cumulative weight reaches
  // n/2 = 4 exactly at the 4th distance, so Dm = (1 + 2)/2 = 1.5 (the usual even-n median).
  // SD = √((4·1 + 2·4 + 2·2500)/8) = √626.5 ≈ 25.03 > √(1/ln 2)·1.5 ≈ 1.80.
  const WeightedPoints p{{1, -1, 0, 0, 2, -2, 0, 0}, {0, 0, 1, -1, 0, 0, 50, -50}, {}};
  const double expected = 0.9 * std::sqrt(1 / std::log(2.0)) * 1.5 * std::pow(8.0, -0.2);
  EXPECT_NEAR(silverman_radius(p), expected, 1e-14);
  EXPECT_NEAR(expected, 0.9 * 1.2011224087864498 * 1.5 * 0.6597539553864471, 1e-12);
}

TEST(Kde, SilvermanRadiusTreatsWeightsAsRepeats) {
  // Weighted: the mean centre, SD, median and n = Σw all count a weight-k point k times.
  const WeightedPoints weighted{{0, 10, 3, 7}, {0, 4, 8, 1}, {3, 1, 2, 1}};
  const WeightedPoints repeated{{0, 0, 0, 10, 3, 3, 7}, {0, 0, 0, 4, 8, 8, 1}, {}};
  EXPECT_NEAR(silverman_radius(weighted), silverman_radius(repeated), 1e-13);
  // Hand computation for `repeated` (n = 7): mean centre (23/7, 21/7 = 3).
  const double mx = 23.0 / 7, my = 3.0;
  std::vector<double> d;
  double ss = 0;
  for (std::size_t i = 0; i < repeated.x.size(); ++i) {
    const double dx = repeated.x[i] - mx, dy = repeated.y[i] - my;
    ss += dx * dx + dy * dy;
    d.push_back(std::hypot(dx, dy));
  }
  std::sort(d.begin(), d.end());
  const double sd = std::sqrt(ss / 7), dm = d[3];  // odd n: the 4th of 7
  const double expected =
      0.9 * std::min(sd, std::sqrt(1 / std::log(2.0)) * dm) * std::pow(7.0, -0.2);
  EXPECT_NEAR(silverman_radius(weighted), expected, 1e-13);
}

TEST(Kde, SilvermanRadiusNeedsTwoDistinctLocations) {
  try {
    (void)silverman_radius(WeightedPoints{{5, 5, 5}, {7, 7, 7}, {}});
    ADD_FAILURE() << "one location accepted";
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("at least 2 distinct incident locations"));
  }
  // A second location of weight 0 does not count.
  EXPECT_THROW((void)silverman_radius(WeightedPoints{{5, 6}, {7, 7}, {1, 0}}), InvalidArgument);
  EXPECT_THROW((void)silverman_radius(WeightedPoints{}), InvalidArgument);
}

TEST(Kde, DefaultCellSizeIsShorterSideOver250) {
  EXPECT_DOUBLE_EQ(default_cell_size(Extent{440000, 285000, 480000, 305000}), 80.0);
  EXPECT_DOUBLE_EQ(default_cell_size(Extent{0, 0, 500, 1000}), 2.0);
  EXPECT_THROW((void)default_cell_size(Extent{}), InvalidArgument);
  try {
    (void)default_cell_size(Extent{0, 0, 100, 0});
    ADD_FAILURE() << "flat extent accepted";
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("cannot derive a default cell size"));
  }
}

}  // namespace
}  // namespace hotspots
