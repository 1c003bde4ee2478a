// SPDX-License-Identifier: MIT
#include "hotspots/stats/spacetime_gistar.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "hotspots/core/error.hpp"
#include "hotspots/stats/fdr.hpp"
#include "hotspots/stats/gistar.hpp"
#include "support/spacetime_gistar_brute.hpp"
#include "support/test_rng.hpp"

namespace hotspots {
namespace {

using hotspots::testing::TestRng;
using ::testing::HasSubstr;

// Random neighbour lists (not symmetric, not sorted, no self, no repeats).
Neighbours random_neighbours(std::size_t units, TestRng& rng) {
  Neighbours nb;
  nb.lists.resize(units);
  for (std::size_t i = 0; i < units; ++i)
    for (std::size_t j = 0; j < units; ++j)
      if (j != i && rng.uniform() < 0.3) nb.lists[i].push_back(static_cast<std::int32_t>(j));
  for (auto& list : nb.lists) std::reverse(list.begin(), list.end());
  return nb;
}

SpaceTimeCube random_cube(std::size_t units, std::size_t steps, bool counts, TestRng& rng) {
  SpaceTimeCube cube{units, steps, std::vector<double>(units * steps)};
  for (std::size_t t = 0; t < steps; ++t)
    for (std::size_t i = 0; i < units; ++i)
      cube.values[t * units + i] =
          counts
              ? rng.poisson(1.0 + 0.3 * static_cast<double>(i % 4) + 0.2 * static_cast<double>(t))
              : rng.uniform(-2, 5);
  return cube;
}

using testing::Brute;
using testing::brute_force;

TEST(SpaceTimeGiStar, MatchesDenseBruteForceOnRandomCubes) {
  TestRng rng(2024);
  int compared = 0;
  for (int rep = 0; rep < 6; ++rep) {
    const std::size_t units = 5 + rng.next() % 8;
    const std::size_t steps = 4 + rng.next() % 5;
    const Neighbours nb = random_neighbours(units, rng);
    const SpaceTimeCube cube = random_cube(units, steps, rep % 2 == 0, rng);
    for (const GlobalWindow window : {GlobalWindow::cube, GlobalWindow::slice})
      for (const int lags : {0, 1, 2, 3, 9}) {
        const SpaceTimeGiStarResult r =
            spacetime_gistar(cube, nb, {.time_lags = lags, .global_window = window});
        const Brute b = brute_force(cube, nb, lags, window);
        ASSERT_EQ(r.z.size(), units * steps);
        for (std::size_t k = 0; k < r.z.size(); ++k) {
          ASSERT_EQ(r.n_neighbors[k], static_cast<std::int32_t>(b.w[k])) << k;
          if (!std::isfinite(b.z[k])) {  // slice window with lags: m·W − W² can be <= 0
            EXPECT_TRUE(std::isnan(r.z[k])) << k;
            continue;
          }
          ASSERT_NEAR(r.z[k], b.z[k], 1e-9) << "rep " << rep << " lags " << lags << " bin " << k;
          EXPECT_NEAR(r.p[k], std::erfc(std::abs(b.z[k]) / std::sqrt(2.0)), 1e-12);
          ++compared;
        }
      }
  }
  EXPECT_GT(compared, 1000);
}

TEST(SpaceTimeGiStar, BinsAreArcGisConfidenceLevelsAndFdrIsTheEnginesFdr) {
  TestRng rng(7);
  const Neighbours nb = random_neighbours(30, rng);
  const SpaceTimeCube cube = random_cube(30, 12, true, rng);
  const SpaceTimeGiStarResult plain = spacetime_gistar(cube, nb);
  int significant = 0;
  for (std::size_t k = 0; k < plain.z.size(); ++k) {
    const double p = plain.p[k];
    const int level = p <= 0.01 ? 3 : (p <= 0.05 ? 2 : (p <= 0.10 ? 1 : 0));
    EXPECT_EQ(plain.bin[k], plain.z[k] > 0 ? level : -level) << k;
    significant += level > 0;
  }
  EXPECT_GT(significant, 0);
  SpaceTimeGiStarOptions o;
  o.fdr = true;
  const SpaceTimeGiStarResult fdr = spacetime_gistar(cube, nb, o);
  EXPECT_EQ(fdr.z, plain.z);
  EXPECT_EQ(fdr.p, plain.p);
  EXPECT_EQ(fdr.bin, fdr_bins(plain.z, plain.p));
}

TEST(SpaceTimeGiStar, NoLagsSliceWindowIsPlainGiStarPerSlice) {
  // K = 0 with each slice's moments is the spatial Gi* of gistar(), slice by slice.
  TestRng rng(99);
  const Neighbours nb = random_neighbours(20, rng);
  const SpaceTimeCube cube = random_cube(20, 5, false, rng);
  const SpaceTimeGiStarResult r =
      spacetime_gistar(cube, nb, {.time_lags = 0, .global_window = GlobalWindow::slice});
  for (std::size_t t = 0; t < cube.step_count; ++t) {
    const std::vector<double> slice(cube.values.begin() + static_cast<long>(t * 20),
                                    cube.values.begin() + static_cast<long>((t + 1) * 20));
    const GiStarResult g = gistar(slice, nb);
    for (std::size_t i = 0; i < 20; ++i) {
      EXPECT_NEAR(r.z[t * 20 + i], g.z[i], 1e-12) << t << " " << i;
      EXPECT_EQ(r.bin[t * 20 + i], g.bin[i]);
      EXPECT_EQ(r.n_neighbors[t * 20 + i], g.n_neighbors[i]);
    }
  }
}

TEST(SpaceTimeGiStar, FirstStepsHaveFewerLags) {
  // Two units, neighbours of each other; K = 2: W = 2, 4, 6, 6 over four steps.
  const SpaceTimeCube cube{2, 4, {1, 2, 3, 4, 0, 1, 5, 1}};
  const Neighbours nb{{{1}, {0}}};
  const SpaceTimeGiStarResult r = spacetime_gistar(cube, nb, {.time_lags = 2});
  const std::vector<std::int32_t> want{2, 2, 4, 4, 6, 6, 6, 6};
  EXPECT_EQ(r.n_neighbors, want);
}

TEST(SpaceTimeGiStar, ValidationNamesTheField) {
  const Neighbours nb{{{1}, {0}}};
  const auto message = [&](const SpaceTimeCube& c, const SpaceTimeGiStarOptions& o) {
    try {
      (void)spacetime_gistar(c, nb, o);
    } catch (const InvalidArgument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_THAT(message({2, 2, {1, 2, 3}}, {}), HasSubstr("values holds 3 bins"));
  EXPECT_THAT(message({2, 2, {1, 2, 3, NAN}}, {}), HasSubstr("unit 1 at step 1"));
  EXPECT_THAT(message({1, 2, {1, 2}}, {}), HasSubstr("unit_count must be at least 2"));
  EXPECT_THAT(message({2, 0, {}}, {}), HasSubstr("step_count"));
  EXPECT_THAT(message({2, 2, {1, 2, 3, 4}}, {.time_lags = -1}), HasSubstr("time_lags"));
  EXPECT_THROW((void)spacetime_gistar({3, 1, {1, 2, 3}}, nb), InvalidArgument);  // 2 lists, 3 units
}

}  // namespace
}  // namespace hotspots
