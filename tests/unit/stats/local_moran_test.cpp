// SPDX-License-Identifier: MIT
#include "hotspots/stats/local_moran.hpp"

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

#include "hotspots/core/error.hpp"

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
    // Ties count in both tails, so p can reach 1 (the old PySAL-style fold capped it at
    // (⌊199/2⌋ + 1)/200; that assertion was dropped deliberately with the ties fix, issue #11).
    EXPECT_LE(p, 1.0);
    EXPECT_DOUBLE_EQ(p * n1, std::round(p * n1));  // (count + 1)/(N + 1)
  }
}

// The permutations run in rounds of location blocks so that progress can be told: the rounds
// change nothing, and the phase rises in steps to 1.
TEST(LocalMoran, ProgressRisesInRoundsAndChangesNothing) {
  const GridNeighbours g = grid_contiguity_neighbours(full_mask(300, 300), Contiguity::queen);
  const std::vector<double> x = random_values(g.cells.size(), 23);
  std::vector<double> shares;
  const Progress progress = [&](std::string_view phase, double share) {
    EXPECT_EQ(phase, "local Moran's I");
    shares.push_back(share);
  };
  const LocalMoranResult told = local_moran(x, g.neighbours, {99, 5}, progress);
  const LocalMoranResult quiet = local_moran(x, g.neighbours, {99, 5});
  EXPECT_EQ(told.p_sim, quiet.p_sim);
  EXPECT_EQ(std::memcmp(told.z_sim.data(), quiet.z_sim.data(), told.z_sim.size() * sizeof(double)),
            0);
  ASSERT_GE(shares.size(), 10u);  // 90,000 locations: 44 blocks in rounds of 2
  EXPECT_EQ(shares.front(), 0.0);
  EXPECT_EQ(shares.back(), 1.0);
  EXPECT_TRUE(std::is_sorted(shares.begin(), shares.end()));
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
  // Non-integer values (the double path) and 999 permutations, as the commands run them.
  std::vector<double> y = x;
  for (std::size_t k = 0; k < y.size(); ++k) y[k] += 0.1 * static_cast<double>(k % 7);
  for (const auto& v : {x, y}) {
    LocalMoranResult a;
    {
      tbb::global_control single(tbb::global_control::max_allowed_parallelism, 1);
      a = local_moran(v, g.neighbours, {999, 8});
    }
    tbb::global_control two(tbb::global_control::max_allowed_parallelism, 2);
    const LocalMoranResult b = local_moran(v, g.neighbours, {999, 8});
    EXPECT_EQ(a.p_sim, b.p_sim);
    EXPECT_EQ(std::memcmp(a.z_sim.data(), b.z_sim.data(), a.z_sim.size() * sizeof(double)), 0);
  }
}

// A ring of 12 locations, each with its two ring neighbours. Under conditional permutation the
// neighbour pair of i is a uniform 2-subset of the 11 others, so P(permuted I >= I_i) and
// P(permuted I <= I_i) are exactly q_ge, q_le = #{pairs {a, b} of others: z_i (x_a + x_b − observed
// sum) >= 0 (<= 0)} / C(11, 2). With N = 99999 permutations p_sim ≈ min(q_ge, q_le) with SD <=
// sqrt(0.25/N) = 0.0016; we allow 0.008 (5 SD). A sampler that drew with replacement, or could
// draw i itself, is off by more. `scale` 10 gives whole numbers (the exact integer-sum path),
// 5 gives halves (summed afresh in doubles, exactly); several pairs tie the observed sum. (Tenths
// would not do: 3.1 + 0.4 and 2.2 + 1.3 can differ in the last bit, see local_moran().)
void expect_matches_enumeration(double scale) {
  std::vector<double> x{3.1, 0.4, 7.7, 2.2, 9.5, 5.0, 1.3, 6.6, 4.4, 8.1, 0.9, 2.8, 3.5, 3.5};
  for (auto& v : x) v = std::round(v * 10) / 10 * scale;  // 31, 4, … or 15.5, 2, …
  const std::size_t n = x.size();
  Neighbours nb;
  for (std::size_t i = 0; i < n; ++i)
    nb.lists.push_back(
        {static_cast<std::int32_t>((i + n - 1) % n), static_cast<std::int32_t>((i + 1) % n)});
  const LocalMoranResult r = local_moran(x, nb, {99999, 77});
  double mean = 0;
  for (const double v : x) mean += v / static_cast<double>(n);
  int tied_pairs = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double zi = x[i] - mean;
    const double observed = x[nb.lists[i][0]] + x[nb.lists[i][1]];
    int ge = 0, le = 0, pairs = 0;
    for (std::size_t a = 0; a < n; ++a)
      for (std::size_t b = a + 1; b < n; ++b) {
        if (a == i || b == i) continue;
        ++pairs;
        const double d = x[a] + x[b] - observed;
        if (d == 0) {  // a tie
          ++ge, ++le, ++tied_pairs;
          continue;
        }
        ge += zi * d > 0;
        le += zi * d < 0;
      }
    ASSERT_EQ(pairs, 78);
    const double q = static_cast<double>(std::min(ge, le)) / pairs;
    EXPECT_NEAR(r.p_sim[i], q, 0.008) << "location " << i << " scale " << scale;
  }
  EXPECT_GT(tied_pairs, 10);  // the ties are exercised
}

TEST(LocalMoran, PermutationDistributionMatchesExactEnumeration) {
  expect_matches_enumeration(10);  // whole numbers
  expect_matches_enumeration(5);   // halves: the double path, ties still exact
}

TEST(LocalMoran, EmptyCellsAmongEmptyNeighboursAreNeverSignificant) {
  // Issue #11: very sparse counts (24 non-zero cells of 10,000, like 50 m cells of a year of
  // ASB). A cell with count 0 and all neighbours 0 has z_i < 0 and lag < 0 (LL, I_i > 0), and a
  // draw ties it exactly when its k values are all 0: T = #{ties} ~ R · p0^k, p0 ≈ 0.9976
  // (0.98 for k = 8). #{I >= I_i} = T (no draw has a negative sum) and #{I <= I_i} = R, so
  // p = (T + 1)/(R + 1) ≈ 0.98. The old fold (larger = T > R/2, so larger = R − T = #{draws with
  // a positive sum}) gave p ≈ 0.02: "significant LL". The old p is rebuilt from T below, and this
  // test fails on the old code (p_sim ≈ 0.02 there).
  const GridNeighbours g = grid_contiguity_neighbours(full_mask(100, 100), Contiguity::queen);
  const std::size_t n = g.cells.size();
  TestRng rng(4);
  std::vector<double> x(n, 0.0);
  for (int c = 0; c < 24; ++c)
    x[static_cast<std::size_t>(rng.uniform() * static_cast<double>(n))] =
        1 + std::floor(rng.uniform() * 4);
  const int perms = 999;
  const LocalMoranResult r = local_moran(x, g.neighbours, {perms, 31});
  const double nonzero =
      static_cast<double>(n) - static_cast<double>(std::count(x.begin(), x.end(), 0.0));
  const double p0 = 1 - nonzero / static_cast<double>(n - 1);
  int checked = 0, old_significant = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& list = g.neighbours.lists[i];
    if (x[i] != 0 ||
        !std::all_of(list.begin(), list.end(), [&](std::int32_t j) { return x[j] == 0; }))
      continue;
    ++checked;
    const double ties = r.p_sim[i] * (perms + 1) - 1;  // T = #{I >= I_i}
    // T ~ Binomial(R, p0^k) (approximately: the k draws are without replacement): 5 SD <= 0.03.
    EXPECT_NEAR(ties / perms, std::pow(p0, static_cast<double>(list.size())), 0.03) << i;
    EXPECT_GT(r.p_sim[i], 0.9) << i;
    EXPECT_EQ(r.quadrant[i], 3);
    const double larger = ties > perms / 2.0 ? perms - ties : ties;  // the old fold
    if ((larger + 1) / (perms + 1) <= 0.05) ++old_significant;
  }
  EXPECT_GT(checked, 9000);
  EXPECT_GT(old_significant, 9 * checked / 10);  // the old fold called ~all of them significant
  const std::vector<int> clusters = lisa_clusters(r, 0.05);
  for (std::size_t i = 0; i < n; ++i)
    if (x[i] == 0 && clusters[i] != 0) {
      const auto& list = g.neighbours.lists[i];
      EXPECT_FALSE(std::all_of(list.begin(), list.end(), [&](std::int32_t j) { return x[j] == 0; }))
          << "significant cell with an all-zero neighbourhood, location " << i;
    }
}

TEST(LocalMoran, WholeNumberPathEqualsSummingAfresh) {
  // Whole numbers take the exact integer-sum path; adding 0.5 to every value keeps z, I and the
  // draws but forces the double path (sums of halves are still exact, so ties are decided alike).
  const GridNeighbours g = grid_contiguity_neighbours(holey_mask(), Contiguity::queen);
  const std::vector<double> x = random_values(g.cells.size(), 21);
  std::vector<double> half = x;
  for (auto& v : half) v += 0.5;
  const LocalMoranResult a = local_moran(x, g.neighbours, {499, 5});
  const LocalMoranResult b = local_moran(half, g.neighbours, {499, 5});
  EXPECT_EQ(a.p_sim, b.p_sim);
  for (std::size_t i = 0; i < x.size(); ++i) {
    EXPECT_NEAR(a.local_i[i], b.local_i[i], 1e-12) << i;
    EXPECT_NEAR(a.z_sim[i], b.z_sim[i], 1e-9) << i;  // moments vs two-pass
  }
}

TEST(LocalMoran, AnalyticMomentsMatchClosedFormAndExactEnumeration) {
  // (a) spdep localmoran(conditional = TRUE) written out with dense weights; (b) E[I_i] and
  // Var[I_i] are the exact mean and variance of I_i over all k-subsets of the others (conditional
  // randomisation), checked by enumerating the C(13, 2) = 78 pairs of a ring of 14.
  std::vector<double> x{3, 0, 7, 2, 9, 5, 1, 6, 4, 8, 0, 2, 3, 3};
  const std::size_t n = x.size();
  Neighbours nb;
  for (std::size_t i = 0; i < n; ++i)
    nb.lists.push_back(
        {static_cast<std::int32_t>((i + n - 1) % n), static_cast<std::int32_t>((i + 1) % n)});
  const LocalMoranResult r = local_moran(x, nb, {9, 1});
  const double nd = static_cast<double>(n);
  double mean = 0;
  for (const double v : x) mean += v / nd;
  double m2 = 0;
  for (const double v : x) m2 += (v - mean) * (v - mean) / nd;
  for (std::size_t i = 0; i < n; ++i) {
    const double zi = x[i] - mean;
    const double wi = 1, wi2 = 0.5;  // two neighbours, weights 1/2
    const double e = -(zi * zi * wi) / ((nd - 1) * m2);
    const double var = (zi / m2) * (zi / m2) * (nd / (nd - 2)) * (wi2 - wi * wi / (nd - 1)) *
                       (m2 - zi * zi / (nd - 1));
    EXPECT_NEAR(r.e_i[i], e, 1e-14) << i;
    EXPECT_NEAR(r.var_i[i], var, 1e-14) << i;
    const double z = (r.local_i[i] - e) / std::sqrt(var);
    EXPECT_NEAR(r.z_norm[i], z, 1e-12) << i;
    EXPECT_NEAR(r.p_norm[i], std::erfc(std::abs(z) / std::sqrt(2.0)), 1e-14) << i;
    double s1 = 0, s2 = 0;
    int pairs = 0;
    for (std::size_t a = 0; a < n; ++a)
      for (std::size_t b = a + 1; b < n; ++b) {
        if (a == i || b == i) continue;
        const double it = zi / m2 * ((x[a] - mean) + (x[b] - mean)) / 2;
        s1 += it, s2 += it * it, ++pairs;
      }
    const double em = s1 / pairs;
    EXPECT_NEAR(r.e_i[i], em, 1e-12) << i;
    EXPECT_NEAR(r.var_i[i], s2 / pairs - em * em, 1e-12) << i;
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
