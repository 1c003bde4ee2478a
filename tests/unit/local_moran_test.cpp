// SPDX-License-Identifier: MIT
#include "hotspots/local_moran.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <numeric>
#include <utility>
#include <vector>

#include "hotspots/error.hpp"

namespace hotspots {
namespace {

using ::testing::HasSubstr;

class TestRng {
 public:
  explicit TestRng(std::uint64_t seed) : state_(seed) {}
  double uniform() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return static_cast<double>((z ^ (z >> 31)) >> 11) * 0x1.0p-53;
  }

 private:
  std::uint64_t state_;
};

CellMask full_mask(std::int64_t cols, std::int64_t rows) {
  CellMask m;
  m.grid = GridSpec{0.0, 100.0 * static_cast<double>(rows), 100.0, cols, rows};
  m.inside.assign(static_cast<std::size_t>(cols * rows), 1);
  return m;
}

// A 12 x 11 mask with a few holes (no cell is left without a neighbour).
CellMask holey_mask() {
  CellMask m = full_mask(12, 11);
  for (const auto& [r, c] :
       std::vector<std::pair<int, int>>{{0, 0}, {3, 4}, {3, 5}, {7, 9}, {10, 2}})
    m.inside[static_cast<std::size_t>(m.grid.index(r, c))] = 0;
  return m;
}

std::vector<double> random_values(std::size_t n, std::uint64_t seed) {
  TestRng rng(seed);
  std::vector<double> v(n);
  for (auto& x : v) x = std::floor(rng.uniform() * 8);  // counts 0..7, many ties
  return v;
}

TEST(LocalMoran, GridContiguityCountsNeighbours) {
  const CellMask m = full_mask(3, 3);
  const GridNeighbours rook = grid_contiguity_neighbours(m, Contiguity::rook);
  const GridNeighbours queen = grid_contiguity_neighbours(m, Contiguity::queen);
  EXPECT_EQ(rook.neighbours.lists[4], (std::vector<std::int32_t>{1, 3, 5, 7}));
  EXPECT_EQ(queen.neighbours.lists[4], (std::vector<std::int32_t>{0, 1, 2, 3, 5, 6, 7, 8}));
  EXPECT_EQ(rook.neighbours.lists[0], (std::vector<std::int32_t>{1, 3}));
  EXPECT_EQ(queen.neighbours.lists[0], (std::vector<std::int32_t>{1, 3, 4}));
  // With a hole the locations are renumbered over the inside cells only.
  CellMask h = m;
  h.inside[1] = 0;
  const GridNeighbours g = grid_contiguity_neighbours(h, Contiguity::rook);
  EXPECT_EQ(g.cells, (std::vector<std::int64_t>{0, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(g.neighbours.lists[0], (std::vector<std::int32_t>{2}));        // cell 0: only cell 3
  EXPECT_EQ(g.neighbours.lists[3], (std::vector<std::int32_t>{2, 4, 6}));  // cell 4: 3, 5, 7
  EXPECT_NO_THROW(g.neighbours.validate(g.cells.size()));
}

TEST(LocalMoran, LocalIMatchesBruteForce) {
  const GridNeighbours g = grid_contiguity_neighbours(holey_mask(), Contiguity::queen);
  const std::size_t n = g.cells.size();
  const std::vector<double> x = random_values(n, 5);
  const LocalMoranResult r = local_moran(x, g.neighbours, {99, 1});
  // Dense row-standardised W, w_ii = 0.
  std::vector<double> w(n * n, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (const auto j : g.neighbours.lists[i])
      w[i * n + static_cast<std::size_t>(j)] =
          1.0 / static_cast<double>(g.neighbours.lists[i].size());
  double mean = 0;
  for (const double v : x) mean += v / static_cast<double>(n);
  double m2 = 0;
  for (const double v : x) m2 += (v - mean) * (v - mean) / static_cast<double>(n);
  for (std::size_t i = 0; i < n; ++i) {
    double lag = 0;
    for (std::size_t j = 0; j < n; ++j) lag += w[i * n + j] * (x[j] - mean);
    const double zi = x[i] - mean;
    // 1e-12: sums of ~8 terms of size ~4, different order.
    EXPECT_NEAR(r.local_i[i], zi / m2 * lag, 1e-12) << i;
    const int q = zi > 0 ? (lag > 0 ? 1 : 4) : (lag > 0 ? 2 : 3);
    EXPECT_EQ(r.quadrant[i], q) << i;
    EXPECT_EQ(r.n_neighbors[i], static_cast<std::int32_t>(g.neighbours.lists[i].size()));
  }
}

TEST(LocalMoran, MeanOfLocalIEqualsGlobalMoransI) {
  // Global I = (n / S0) Σ_i Σ_j w_ij z_i z_j / Σ z². Row-standardised without islands: S0 = n,
  // and Σ_i I_i = Σ_i z_i Σ_j w_ij z_j / m2 = n Σ_i z_i lag_i / Σ z², hence I = Σ_i I_i / n.
  const GridNeighbours g = grid_contiguity_neighbours(holey_mask(), Contiguity::rook);
  const std::size_t n = g.cells.size();
  std::vector<double> x = random_values(n, 9);
  for (std::size_t k = 0; k < n; ++k) x[k] += static_cast<double>(g.cells[k] % 12) * 0.5;  // trend
  const LocalMoranResult r = local_moran(x, g.neighbours, {9, 3});
  double mean = 0;
  for (const double v : x) mean += v;
  mean /= static_cast<double>(n);
  double num = 0, den = 0, s0 = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double wi = 1.0 / static_cast<double>(g.neighbours.lists[i].size());
    for (const auto j : g.neighbours.lists[i]) {
      num += wi * (x[i] - mean) * (x[static_cast<std::size_t>(j)] - mean);
      s0 += wi;
    }
    den += (x[i] - mean) * (x[i] - mean);
  }
  const double global_i = static_cast<double>(n) / s0 * num / den;
  double sum_local = 0;
  for (const double v : r.local_i) sum_local += v;
  EXPECT_NEAR(s0, static_cast<double>(n), 1e-9);
  EXPECT_GT(global_i, 0.1);                                          // the trend clusters
  EXPECT_NEAR(sum_local / static_cast<double>(n), global_i, 1e-12);  // ~130 terms of O(1)
}

TEST(LocalMoran, PermutationPValuesAreReproducibleAndInRange) {
  const GridNeighbours g = grid_contiguity_neighbours(holey_mask(), Contiguity::queen);
  const std::vector<double> x = random_values(g.cells.size(), 13);
  const LocalMoranOptions opt{199, 2024};
  const LocalMoranResult a = local_moran(x, g.neighbours, opt);
  const LocalMoranResult b = local_moran(x, g.neighbours, opt);
  const LocalMoranResult c = local_moran(x, g.neighbours, {199, 2025});
  EXPECT_EQ(a.p_sim, b.p_sim);
  EXPECT_EQ(std::memcmp(a.z_sim.data(), b.z_sim.data(), a.z_sim.size() * sizeof(double)), 0);
  EXPECT_NE(a.p_sim, c.p_sim);
  const double n1 = 199 + 1;
  const double mean = std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
  for (std::size_t i = 0; i < a.p_sim.size(); ++i) {
    const double p = a.p_sim[i];
    if (x[i] == mean) {
      EXPECT_EQ(p, 1.0);  // z_i = 0: no evidence
      continue;
    }
    EXPECT_GE(p, 1 / n1);
    EXPECT_LE(p, (99 + 1) / n1);                   // folded: larger <= ⌊199/2⌋ = 99
    EXPECT_DOUBLE_EQ(p * n1, std::round(p * n1));  // (larger + 1)/(N + 1)
  }
}

TEST(LocalMoran, ResultsDoNotDependOnThreadCount) {
  const GridNeighbours g = grid_contiguity_neighbours(full_mask(40, 30), Contiguity::queen);
  const std::vector<double> x = random_values(g.cells.size(), 17);
  LocalMoranResult one;
  {
    tbb::global_control single(tbb::global_control::max_allowed_parallelism, 1);
    one = local_moran(x, g.neighbours, {99, 7});
  }
  const LocalMoranResult many = local_moran(x, g.neighbours, {99, 7});
  EXPECT_EQ(one.p_sim, many.p_sim);
  EXPECT_EQ(std::memcmp(one.z_sim.data(), many.z_sim.data(), one.z_sim.size() * sizeof(double)), 0);
  EXPECT_EQ(
      std::memcmp(one.local_i.data(), many.local_i.data(), one.local_i.size() * sizeof(double)), 0);
}

TEST(LocalMoran, PermutationDistributionMatchesExactEnumeration) {
  // A ring of 12 locations, each with its two ring neighbours. Under conditional permutation
  // the neighbour pair of i is a uniform 2-subset of the 11 others, so P(permuted I >= I_i) is
  // exactly q_i = #{pairs {a, b} of others: z_i (x_a + x_b − observed sum) >= 0} / C(11, 2).
  // With N = 99999 permutations p_sim ≈ min(q, 1 − q) with SD <= sqrt(0.25/N) = 0.0016; we allow
  // 0.008 (5 SD). A sampler that drew with replacement, or could draw i itself, is off by more.
  const std::vector<double> x{3.1, 0.4, 7.7, 2.2, 9.5, 5.0, 1.3, 6.6, 4.4, 8.1, 0.9, 2.8};
  const std::size_t n = x.size();
  Neighbours nb;
  for (std::size_t i = 0; i < n; ++i)
    nb.lists.push_back(
        {static_cast<std::int32_t>((i + n - 1) % n), static_cast<std::int32_t>((i + 1) % n)});
  const LocalMoranResult r = local_moran(x, nb, {99999, 77});
  double mean = 0;
  for (const double v : x) mean += v / static_cast<double>(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double zi = x[i] - mean;
    const double observed = x[nb.lists[i][0]] + x[nb.lists[i][1]];
    int ge = 0, pairs = 0;
    for (std::size_t a = 0; a < n; ++a)
      for (std::size_t b = a + 1; b < n; ++b) {
        if (a == i || b == i) continue;
        ++pairs;
        ge += zi * (x[a] + x[b] - observed) >= 0;
      }
    ASSERT_EQ(pairs, 55);
    const double q = static_cast<double>(ge) / pairs;
    EXPECT_NEAR(r.p_sim[i], std::min(q, 1 - q), 0.008) << "location " << i << " q " << q;
  }
}

TEST(LocalMoran, ClusterCoreIsSignificantHighHigh) {
  // 20 x 20 rook grid: background counts 0..2, a 6 x 6 block of ~10 at rows/cols 7..12.
  const GridNeighbours g = grid_contiguity_neighbours(full_mask(20, 20), Contiguity::rook);
  TestRng rng(99);
  std::vector<double> x(g.cells.size());
  for (std::size_t k = 0; k < x.size(); ++k) {
    const std::int64_t r = g.cells[k] / 20, c = g.cells[k] % 20;
    const bool block = r >= 7 && r <= 12 && c >= 7 && c <= 12;
    x[k] = block ? 10 + std::floor(rng.uniform() * 2) : std::floor(rng.uniform() * 3);
  }
  const LocalMoranResult res = local_moran(x, g.neighbours, {999, 12345});
  const std::vector<int> clusters = lisa_clusters(res, 0.05);
  for (std::int64_t r = 8; r <= 11; ++r)
    for (std::int64_t c = 8; c <= 11; ++c) {
      const auto k = static_cast<std::size_t>(r * 20 + c);  // full mask: location = cell
      // Drawing 4 of the 36 block values out of 399 has probability ~5e-5 per permutation, so
      // almost surely no permuted I reaches the observed one: p = 1/1000; allow 5/1000.
      EXPECT_LE(res.p_sim[k], 0.005) << r << "," << c;
      EXPECT_EQ(res.quadrant[k], 1);
      EXPECT_EQ(clusters[k], 1);
    }
  EXPECT_EQ(res.quadrant[0], 3);  // far corner: low among low
}

TEST(LocalMoran, IslandsAndConstantValues) {
  Neighbours nb;
  nb.lists = {{1}, {0}, {}};
  const LocalMoranResult r = local_moran({1.0, 2.0, 5.0}, nb, {99, 1});
  EXPECT_EQ(r.local_i[2], 0.0);
  EXPECT_TRUE(std::isnan(r.p_sim[2]));
  EXPECT_EQ(r.quadrant[2], 0);
  EXPECT_EQ(r.n_neighbors[2], 0);
  EXPECT_FALSE(std::isnan(r.p_sim[0]));
  const LocalMoranResult flat = local_moran({4.0, 4.0, 4.0}, nb, {99, 1});
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_TRUE(std::isnan(flat.local_i[i]));
    EXPECT_TRUE(std::isnan(flat.p_sim[i]));
    EXPECT_EQ(flat.quadrant[i], 0);
  }
}

TEST(LocalMoran, RejectsBadArgumentsWithMessages) {
  Neighbours nb;
  nb.lists = {{1}, {0}};
  for (const int perms : {0, -5}) {
    try {
      (void)local_moran({1.0, 2.0}, nb, {perms, 1});
      ADD_FAILURE();
    } catch (const InvalidArgument& e) {
      EXPECT_THAT(e.what(), HasSubstr("permutations must be at least 1"));
    }
  }
  try {
    (void)local_moran({1.0, 2.0, 3.0}, nb);
    ADD_FAILURE();
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("2 lists for 3 locations"));
  }
  EXPECT_THROW((void)local_moran({1.0}, Neighbours{{{}}}), InvalidArgument);
  EXPECT_THROW((void)local_moran({1.0, std::nan("")}, nb), InvalidArgument);
  try {
    (void)lisa_clusters(LocalMoranResult{}, 0.0);
    ADD_FAILURE();
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("alpha must be in (0, 1)"));
  }
  CellMask bad = full_mask(3, 3);
  bad.inside.pop_back();
  try {
    (void)grid_contiguity_neighbours(bad, Contiguity::rook);
    ADD_FAILURE();
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("mask has 8 flags for a 3 x 3 grid"));
  }
}

}  // namespace
}  // namespace hotspots
