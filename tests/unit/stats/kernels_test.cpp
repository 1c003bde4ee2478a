// SPDX-License-Identifier: MIT
// Every KDE kernel of KernelList, by a typed test: a new kernel trait is tested here by adding
// it to the list. Layers (tests/README.md): (a) properties — the profile's mass, the grid's mass
// within the trait's stated sampling error, mirror symmetry, the closed-disc support,
// translation by whole cells, weights = repeats, names; (b) reference values — the brute-force
// evaluator (kde_reference.hpp) for every output, and the six built-in traits against the
// textbook formulas written out below.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "hotspots/core/error.hpp"
#include "hotspots/stats/kde.hpp"
#include "hotspots/stats/kernels/kernel_list.hpp"
#include "kde_reference.hpp"
#include "support/test_rng.hpp"

namespace hotspots {
namespace {

using testing::bit_identical;
using testing::brute_force;
using testing::max_rel_to_peak;
using testing::options;
using testing::random_points;
using testing::sum;
using testing::TestRng;

constexpr double kPi = std::numbers::pi;
constexpr OutputValue kOutputs[] = {OutputValue::density, OutputValue::raw, OutputValue::count};

template <class List>
struct GTestTypes;
template <class... Ks>
struct GTestTypes<TypeList<Ks...>> {
  using type = ::testing::Types<Ks...>;
};

struct KernelName {
  template <class K>
  static std::string GetName(int /*index*/) {
    return std::string(K::name);
  }
};

template <class K>
class KdeKernel : public ::testing::Test {};
TYPED_TEST_SUITE(KdeKernel, GTestTypes<KernelList>::type, KernelName);

TYPED_TEST(KdeKernel, ProfileIntegratesToTheStatedMass) {
  // ∫ K over the unit disc = ∫₀¹ c·k(u)·2πu du, by composite Simpson on 20000 intervals
  // (error ~ h⁴·max|f⁗| ≈ 1e-17 for these smooth integrands; the kinks and jumps are at the
  // ends u = 0, 1, which Simpson handles as ordinary end points).
  const int n = 20000;
  const auto f = [](double u) { return TypeParam::constant * TypeParam::profile(u) * 2 * kPi * u; };
  double s = f(0) + f(1);
  for (int i = 1; i < n; ++i) s += (i % 2 ? 4 : 2) * f(static_cast<double>(i) / n);
  EXPECT_NEAR(s / (3.0 * n), TypeParam::mass(), 1e-12);
  EXPECT_LE(TypeParam::mass(), 1.0);
  EXPECT_GT(TypeParam::profile(0.0), 0.0);
}

TYPED_TEST(KdeKernel, MatchesBruteForceForEveryOutput) {
  // A radius that is not a multiple of the cell size, points up to 1.5 h outside the grid,
  // duplicates and weights: every branch of the splatting (row and chord clipping at the grid
  // edges, merging) is exercised.
  const GridSpec g{1000.0, 5000.0, 10.0, 60, 45};
  const double h = 37.3;
  const WeightedPoints p = random_points(g, 400, 1.5 * h, true, 7);
  for (OutputValue out : kOutputs) {
    const KdeOptions o = options(TypeParam{}, h, out);
    // Both sum at most 400 terms in double, in different orders and with algebraically equal
    // but differently rounded expressions: error <~ 400 · 2.2e-16 of the peak ≈ 1e-13.
    EXPECT_LE(max_rel_to_peak(estimate_density(p, g, o), brute_force(p, g, o)), 1e-12)
        << to_string(out);
  }
}

TYPED_TEST(KdeKernel, CountModeSumsToTheMassPerIncidentWithinTheSamplingError) {
  // h = 10 cells (ArcGIS-like); the bound is twice the trait's measured maximum error (see
  // kernels::SamplingError: an independent numpy script over 4000 positions within a cell).
  const GridSpec g{0.0, 400.0, 1.0, 40, 40};
  const double h = 10.0;
  TestRng rng(11);
  double worst = 0;
  for (int i = 0; i < 400; ++i) {
    // Far from the edge: every cell within h of the point is on the grid.
    const WeightedPoints p{{rng.uniform(15, 25)}, {rng.uniform(375, 385)}, {}};
    const Raster r = estimate_density(p, g, options(TypeParam{}, h, OutputValue::count));
    worst = std::max(worst, std::abs(sum(r) - TypeParam::mass()));
  }
  EXPECT_LE(worst, 2 * TypeParam::sampling_error.max);
}

TYPED_TEST(KdeKernel, MassEqualsIncidentCount) {
  // 2000 incidents (weights 1..4) at least h from the edge of a 400 × 400 grid of 5 m cells,
  // h = 50 m = 10 cells, so count mode sums to Σw·mass up to the sampling error. The errors of
  // independent positions average out: relative error of the total ~ sd / √n_eff, with
  // n_eff = (Σw)²/Σw² ≈ 1670; the tolerance is 6 such standard deviations (the data are seeded,
  // so this is a fixed check, not a flaky one).
  const GridSpec g{440000.0, 325000.0, 5.0, 400, 400};
  const WeightedPoints p =
      random_points(GridSpec{440060.0, 324940.0, 5.0, 376, 376}, 2000, 0, true, 3);
  double total = 0, total2 = 0;
  for (double w : p.w) {
    total += w;
    total2 += w * w;
  }
  const double n_eff = total * total / total2;
  const Raster r = estimate_density(p, g, options(TypeParam{}, 50.0, OutputValue::count));
  EXPECT_NEAR(sum(r) / (total * TypeParam::mass()), 1.0,
              6 * TypeParam::sampling_error.sd / std::sqrt(n_eff));
}

TYPED_TEST(KdeKernel, OnePointAtACellCentreGivesAMirrorSymmetricSurface) {
  // Dyadic coordinates: the distances to mirrored cells are the same doubles, so mirroring rows
  // or columns gives the same bits. Transposing swaps the row and column terms, which round
  // differently: equal to rounding only.
  const GridSpec g{0.0, 168.0, 8.0, 21, 21};
  const WeightedPoints p{{84.0}, {84.0}, {}};  // centre of cell (10, 10)
  const Raster r = estimate_density(p, g, options(TypeParam{}, 61.0));
  double peak = 0;
  for (double v : r.values) peak = std::max(peak, v);
  for (std::int64_t row = 0; row < g.rows; ++row)
    for (std::int64_t col = 0; col < g.cols; ++col) {
      EXPECT_EQ(r.at(row, col), r.at(g.rows - 1 - row, col)) << row << " " << col;
      EXPECT_EQ(r.at(row, col), r.at(row, g.cols - 1 - col)) << row << " " << col;
      EXPECT_NEAR(r.at(row, col), r.at(col, row), 1e-14 * peak) << row << " " << col;
    }
  EXPECT_EQ(peak, r.at(10, 10));
}

TYPED_TEST(KdeKernel, SupportIsTheClosedDisc) {
  // Nothing beyond h; within h never negative, and positive wherever the profile is clearly so
  // (at the rim, (1 − dy²/h²) − dx²/h² may round to 0).
  const GridSpec g{0.0, 100.0, 1.0, 100, 100};
  const WeightedPoints p{{50.3}, {49.6}, {}};
  const double h = 23.7;
  const Raster raw = estimate_density(p, g, options(TypeParam{}, h, OutputValue::raw));
  for (std::int64_t row = 0; row < g.rows; ++row)
    for (std::int64_t col = 0; col < g.cols; ++col) {
      const double dx = g.centre_x(col) - 50.3, dy = g.centre_y(row) - 49.6;
      const double d = std::sqrt(dx * dx + dy * dy);
      if (d > h) {
        EXPECT_EQ(raw.at(row, col), 0.0) << d;
      } else {
        EXPECT_GE(raw.at(row, col), 0.0) << d;
      }
      if (d < 0.99 * h) {
        EXPECT_GT(raw.at(row, col), 0.0) << d;
      }
    }
}

TYPED_TEST(KdeKernel, TranslationByWholeCellsGivesIdenticalValues) {
  // Dyadic coordinates (multiples of 1/64 m, 8 m cells, shifts of whole cells): every distance is
  // exact in double, so the shifted surface must be bit-identical.
  const GridSpec g{1024.0, 2048.0, 8.0, 50, 40};
  TestRng rng(5);
  WeightedPoints p;
  for (int i = 0; i < 300; ++i) {
    p.x.push_back(std::floor(rng.uniform(900.0, 1550.0) * 64) / 64);
    p.y.push_back(std::floor(rng.uniform(1650.0, 2150.0) * 64) / 64);
  }
  const double sx = 8.0 * 37, sy = -8.0 * 11;
  GridSpec g2 = g;
  g2.xmin += sx;
  g2.ymax += sy;
  WeightedPoints p2 = p;
  for (double& x : p2.x) x += sx;
  for (double& y : p2.y) y += sy;
  EXPECT_TRUE(bit_identical(estimate_density(p, g, options(TypeParam{}, 61.0)),
                            estimate_density(p2, g2, options(TypeParam{}, 61.0))));
}

TYPED_TEST(KdeKernel, WeightEqualsRepeatedPoints) {
  const GridSpec g{0.0, 500.0, 10.0, 50, 50};
  const WeightedPoints weighted{{120.5, 300.25, 301.0}, {250.0, 310.5, 290.0}, {3.0, 1.0, 2.0}};
  const WeightedPoints repeated{
      {120.5, 301.0, 120.5, 300.25, 301.0, 120.5}, {250.0, 290.0, 250.0, 310.5, 290.0, 250.0}, {}};
  for (OutputValue out : kOutputs) {
    // Repeats are merged before the kernel is applied (1 + 1 + 1 = 3 exactly), and the merged
    // locations are visited in sorted order: bit-identical.
    EXPECT_TRUE(bit_identical(estimate_density(weighted, g, options(TypeParam{}, 80.0, out)),
                              estimate_density(repeated, g, options(TypeParam{}, 80.0, out))))
        << to_string(out);
  }
}

TYPED_TEST(KdeKernel, MergingDuplicatesMatchesSummingEveryIncident) {
  // 80% of the rows repeat one of 20 locations; the brute force sums every row separately.
  const GridSpec g{0.0, 300.0, 5.0, 60, 60};
  TestRng rng(9);
  WeightedPoints p;
  for (int i = 0; i < 500; ++i) {
    if (i >= 20 && rng.uniform() < 0.8) {
      const auto j = static_cast<std::size_t>(rng.next() % 20);
      p.x.push_back(p.x[j]);
      p.y.push_back(p.y[j]);
    } else {
      p.x.push_back(rng.uniform(0, 300));
      p.y.push_back(rng.uniform(0, 300));
    }
    p.w.push_back(rng.uniform(0.5, 2.0));
  }
  const KdeOptions o = options(TypeParam{}, 42.0);
  // As MatchesBruteForce: ≤ 500 terms per cell, rounding ≲ 500 · 2.2e-16 of the peak.
  EXPECT_LE(max_rel_to_peak(estimate_density(p, g, o), brute_force(p, g, o)), 1e-12);
}

TYPED_TEST(KdeKernel, NameParsesBackAndIsListed) {
  const Kernel k = TypeParam{};
  EXPECT_EQ(to_string(k), TypeParam::name);
  EXPECT_EQ(parse_kernel(TypeParam::name), k);
  const auto names = kernel_names();
  EXPECT_EQ(std::count(names.begin(), names.end(), std::string(TypeParam::name)), 1);
  for (char c : TypeParam::name) EXPECT_TRUE(c >= 'a' && c <= 'z') << TypeParam::name;
}

TEST(KdeKernels, NamesAreUniqueAndTheFirstIsTheDefault) {
  const auto names = kernel_names();
  EXPECT_EQ(names.size(), KernelList::size);
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), names.size());
  EXPECT_EQ(names.front(), to_string(KdeOptions{}.kernel));
  EXPECT_EQ(names.front(), "quartic");
}

// The six built-in traits against the formulas of GRASS v.kernel, QGIS Heatmap and ArcGIS
// Kernel Density, written out independently (pow, σ = h/4 explicitly).
TEST(KdeKernels, BuiltInTraitsMatchTheTextbookFormulas) {
  const double h = 7.0, sigma = h / 4;
  for (double u : {0.0, 0.1, 0.37, 0.5, 0.81, 0.999, 1.0}) {
    const double d = u * h;
    EXPECT_NEAR(kernels::Quartic::profile(u), std::pow(1 - u * u, 2), 1e-15);
    EXPECT_NEAR(kernels::Epanechnikov::profile(u), 1 - u * u, 1e-15);
    EXPECT_NEAR(kernels::Triweight::profile(u), std::pow(1 - u * u, 3), 1e-15);
    EXPECT_NEAR(kernels::Triangular::profile(u), 1 - u, 1e-15);
    EXPECT_EQ(kernels::Uniform::profile(u), 1.0);
    EXPECT_NEAR(kernels::Gaussian::profile(u), std::exp(-d * d / (2 * sigma * sigma)), 1e-15);
  }
  EXPECT_DOUBLE_EQ(kernels::Quartic::constant, 3 / kPi);
  EXPECT_DOUBLE_EQ(kernels::Epanechnikov::constant, 2 / kPi);
  EXPECT_DOUBLE_EQ(kernels::Triweight::constant, 4 / kPi);
  EXPECT_DOUBLE_EQ(kernels::Triangular::constant, 3 / kPi);
  EXPECT_DOUBLE_EQ(kernels::Uniform::constant, 1 / kPi);
  EXPECT_DOUBLE_EQ(kernels::Gaussian::constant, h * h / (2 * kPi * sigma * sigma));
  EXPECT_DOUBLE_EQ(kernels::Gaussian::mass(), 1 - std::exp(-8.0));
}

TEST(KdeKernels, UnknownNameListsTheChoicesInListOrder) {
  try {
    (void)parse_kernel("biweight");
    ADD_FAILURE() << "biweight accepted";
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("unknown kernel 'biweight'"));
    EXPECT_THAT(e.what(), ::testing::HasSubstr(
                              "quartic, epanechnikov, triweight, triangular, uniform, gaussian"));
  }
}

}  // namespace
}  // namespace hotspots
