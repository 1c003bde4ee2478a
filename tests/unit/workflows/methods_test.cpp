// SPDX-License-Identifier: MIT
// Every backtest method of MethodList, by a typed test: a new method is tested here by adding
// it to the list. Its example parses to it and its label round-trips; its name is offered in
// the unknown-method message; keys it does not take are refused naming it; a backtest of it
// alone scores every origin with defined shares on a seeded data set, the same as when it runs
// beside every other method.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <numeric>
#include <random>
#include <string>
#include <variant>

#include "hotspots/core/error.hpp"
#include "hotspots/units/grid_policy.hpp"
#include "hotspots/workflows/evaluate.hpp"
#include "hotspots/workflows/methods/method_list.hpp"
#include "support/test_rng.hpp"

namespace hotspots {
namespace {

using ::testing::HasSubstr;

template <class List>
struct GTestTypes;
template <class... Ms>
struct GTestTypes<TypeList<Ms...>> {
  using type = ::testing::Types<Ms...>;
};

struct MethodName {
  template <class M>
  static std::string GetName(int /*index*/) {
    return std::string(M::name);
  }
};

std::string error_of(const std::string& text) {
  try {
    std::ignore = parse_method_specs(text);
  } catch (const InvalidArgument& e) {
    return e.what();
  }
  return "no error";
}

// 2000 incidents a month over 8 months on 40 x 40 cells of 50 m, with a stationary hot corner.
Incidents seeded_incidents() {
  testing::TestRng rng(31);
  Incidents inc;
  for (int i = 0; i < 16000; ++i) {
    const bool hot = rng.uniform() < 0.3;
    const double x = hot ? rng.uniform(100, 400) : rng.uniform(0, 2000);
    const double y = hot ? rng.uniform(1600, 1900) : rng.uniform(0, 2000);
    inc.append(x, y, 1.0, Date{2024 * 12 + i % 8, 0, -1}, -1, 0, 0);
  }
  return inc;
}

template <class M>
class BacktestMethodTest : public ::testing::Test {};
TYPED_TEST_SUITE(BacktestMethodTest, GTestTypes<MethodList>::type, MethodName);

TYPED_TEST(BacktestMethodTest, ExampleParsesToThisMethodAndItsLabelRoundTrips) {
  const MethodSpec spec = parse_method_spec(TypeParam::example);
  ASSERT_TRUE(std::holds_alternative<TypeParam>(spec.method));
  EXPECT_EQ(spec.label(), TypeParam::example);  // examples are canonical
  EXPECT_EQ(parse_method_spec(spec.label()), spec);
  const MethodSpec bare = parse_method_specs(
      fmt::format("{}{}", TypeParam::name, TypeParam::name == "kde" ? ":radius=100" : ""))[0];
  EXPECT_EQ(parse_method_spec(bare.label()), bare);
}

TYPED_TEST(BacktestMethodTest, NameIsOfferedAndUnknownKeysAreRefused) {
  EXPECT_THAT(error_of("no_such_method"), HasSubstr(std::string(TypeParam::name)));
  EXPECT_THAT(method_names(), HasSubstr(std::string(TypeParam::name)));
  EXPECT_THAT(error_of(fmt::format("{}:zzz=1", TypeParam::name)),
              HasSubstr(fmt::format("unknown key 'zzz' for {}", TypeParam::name)));
  for (const std::string_view key : TypeParam::keys)
    EXPECT_THAT(error_of(fmt::format("{}:{}=1", TypeParam::example, key)),
                HasSubstr(fmt::format("'{}' given twice", key)));
}

TYPED_TEST(BacktestMethodTest, ScoresEveryOriginAloneAsBesideTheOthers) {
  const Incidents inc = seeded_incidents();
  const GridSpec grid{0, 2000, 50, 40, 40};
  EvaluateOptions alone;
  alone.methods = parse_method_specs(TypeParam::example);
  alone.train_months = 3;
  alone.area_percents = {1, 5};
  const EvaluateResult r = evaluate_methods(inc, grid, nullptr, alone);
  ASSERT_EQ(r.origins.size(), 5u);
  ASSERT_EQ(r.rows.size(), 5u * 2u);
  for (const ScoreRow& row : r.rows) {
    EXPECT_GE(row.score.hit_rate, 0.0);
    EXPECT_LE(row.score.hit_rate, 1.0);
    EXPECT_GE(row.score.pei, 0.0);
    EXPECT_LE(row.score.pei, 1.0 + 1e-12);
    EXPECT_FALSE(std::isnan(row.score.pai));
  }
  // Beside every other method (this one last): the same rows, bit for bit.
  EvaluateOptions all = alone;
  all.methods.clear();
  for_each_type(MethodList{}, [&]<class M>() {
    if (!std::is_same_v<M, TypeParam>) all.methods.push_back(parse_method_spec(M::example));
  });
  all.methods.push_back(alone.methods[0]);
  const EvaluateResult together = evaluate_methods(inc, grid, nullptr, all);
  const std::size_t n = all.methods.size();
  for (std::size_t o = 0; o < r.origins.size(); ++o)
    for (std::size_t a = 0; a < 2; ++a) {
      const ScoreRow& x = r.rows[o * 2 + a];
      const ScoreRow& y = together.rows[(o * n + n - 1) * 2 + a];
      EXPECT_EQ(std::memcmp(&x.score, &y.score, sizeof(AreaScore)), 0) << o << " " << a;
    }
}

TEST(BacktestMethods, NamesAreUniqueAndListedInOrder) {
  EXPECT_EQ(method_names(), "kde, gistar, counts, last, patrol or default");
  EXPECT_THAT(error_of("nnh"), HasSubstr("expected kde, gistar, counts, last, patrol or default"));
}

// One month of binned incidents over a grid whose every cell is a study cell (position p is
// cell p), for the methods' scores; the test adds its incidents to months.months[0].
struct OneMonth {
  explicit OneMonth(const GridSpec& grid) : cells(static_cast<std::size_t>(grid.cell_count())) {
    std::iota(cells.begin(), cells.end(), std::int64_t{0});
    months.first_month = 0;
    months.cells = cells.size();
    months.months.resize(1);
  }
  std::vector<std::int64_t> cells;
  BinnedMonths months;
};

// The patrol method scores the cells of P1 first, then P2's, then every other cell by its
// training count: on one month of 40 cells of 50 m a side, a cluster of 40 incidents and one of
// 30 are places (minimum 3 a month), a point of 2 is not.
TEST(PatrolMethod, CellsOfThePlacesComeFirstInPlaceOrder) {
  const GridSpec grid{0, 2000, 50, 40, 40};
  OneMonth one(grid);
  const std::vector<std::int64_t>& cells = one.cells;
  BinnedMonths& months = one.months;
  MonthBins& m = months.months[0];
  const double pts[3][3] = {{325, 1675, 40}, {1025, 1025, 30}, {1825, 125, 2}};
  for (const auto& p : pts) {
    m.x.push_back(p[0]);
    m.y.push_back(p[1]);
    m.w.push_back(p[2]);
    m.cells.emplace_back(grid.index(grid.row_of(p[1]), grid.col_of(p[0])), p[2]);
    m.incidents += static_cast<std::int64_t>(p[2]);
  }
  std::sort(m.cells.begin(), m.cells.end());
  const Period train{0, 0};
  const std::vector<double> counts = months.counts(train);
  const MethodInput input{grid, nullptr, cells, months, 1, train, 1, counts};
  PatrolMethod circles;
  circles.shape = PatrolShape::circle;
  const std::vector<double> s = circles.scores(input);
  const double step = 72 + 1;
  auto score_at = [&](double x, double y) {
    return s[static_cast<std::size_t>(grid.index(grid.row_of(y), grid.col_of(x)))];
  };
  EXPECT_DOUBLE_EQ(score_at(325, 1675), 2 * step + 40);
  EXPECT_DOUBLE_EQ(score_at(325 + 150, 1675), 2 * step) << "150 m away: in P1";
  EXPECT_DOUBLE_EQ(score_at(325 + 200, 1675), 0) << "200 m away: not";
  EXPECT_DOUBLE_EQ(score_at(1025, 1025), step + 30);
  EXPECT_DOUBLE_EQ(score_at(1825, 125), 2) << "below the minimum: its count";
  // P1 holds the 29 cells with centres within 150 m (i² + j² <= 9 on a 50 m lattice).
  EXPECT_EQ(std::count_if(s.begin(), s.end(), [&](double v) { return v >= 2 * step; }), 29);
  EXPECT_EQ(PatrolMethod{}.label(), "patrol");
  EXPECT_EQ(circles.label(), "patrol:shape=circle");
}

// The cells rule walks cells by their counts, so without the spacing and the place minimum its
// hot area at every size is exactly counts' (the busiest cells, ties to the lower cell index):
// checked against a sort of the training counts done here, on seeded incidents over a 100 m grid
// whose cells are the rule's own (whole multiples of 100 m).
TEST(PatrolMethod, CellsRuleTakesTheBusiestCellsLikeCounts) {
  const GridSpec grid{0, 3000, 100, 30, 30};
  std::mt19937_64 rng(7);
  std::normal_distribution<double> n(0, 1);
  OneMonth one(grid);
  const std::vector<std::int64_t>& cells = one.cells;
  BinnedMonths& months = one.months;
  MonthBins& m = months.months[0];
  std::map<std::int64_t, double> by_cell;
  const double hubs[4][3] = {{520, 2410, 60}, {1730, 1620, 110}, {2450, 640, 170}, {900, 900, 250}};
  for (int i = 0; i < 2000; ++i) {
    const auto& h = hubs[i % 4];
    // Snapped to 10 m map points, so many incidents share a point.
    const double x = std::clamp(std::round((h[0] + h[2] * n(rng)) / 10) * 10 + 5, 5.0, 2995.0);
    const double y = std::clamp(std::round((h[1] + h[2] * n(rng)) / 10) * 10 + 5, 5.0, 2995.0);
    m.x.push_back(x);
    m.y.push_back(y);
    m.w.push_back(1);
    by_cell[grid.index(grid.row_of(y), grid.col_of(x))] += 1;
    ++m.incidents;
  }
  for (const auto& [c, w] : by_cell) m.cells.emplace_back(c, w);
  const Period train{0, 0};
  const std::vector<double> counts = months.counts(train);
  const MethodInput input{grid, nullptr, cells, months, 1, train, 1, counts};
  PatrolMethod walk;  // without the spacing and the place minimum, the tasking rules
  walk.spacing_m = 0;
  walk.min_per_month = 0;
  walk.cell_min_per_month = 2;
  const std::vector<double> s = walk.scores(input);
  std::vector<std::int64_t> by_count(900), by_score(900);
  std::iota(by_count.begin(), by_count.end(), 0);
  std::iota(by_score.begin(), by_score.end(), 0);
  auto rank = [](const std::vector<double>& v) {
    return [&v](std::int64_t a, std::int64_t b) {
      return v[static_cast<std::size_t>(a)] != v[static_cast<std::size_t>(b)]
                 ? v[static_cast<std::size_t>(a)] > v[static_cast<std::size_t>(b)]
                 : a < b;
    };
  };
  std::sort(by_count.begin(), by_count.end(), rank(counts));
  std::sort(by_score.begin(), by_score.end(), rank(s));
  const auto busy = std::count_if(counts.begin(), counts.end(), [](double c) { return c >= 2; });
  ASSERT_GT(busy, 20);
  EXPECT_EQ(by_score, by_count);
  EXPECT_EQ(std::count_if(s.begin(), s.end(), [&](double v) { return v > 2000; }), busy)
      << "every cell of at least the minimum is in a place";
}

// The default method scores each evaluation cell by analyse's KDE: quartic, radius 2 cells of
// the nearest-neighbour rule, on analyse's own grid of that cell size. Checked against a
// brute-force quartic sum at the centre of the analyse cell holding each evaluation cell's
// centre (density per km² = 1e6 Σ w · 3/(π h²) (1 − d²/h²)²).
TEST(DefaultMethod, ScoresAnalysesKdeOnAnalysesGridByBruteForce) {
  const GridSpec grid{0, 2000, 50, 40, 40};
  OneMonth one(grid);
  const std::vector<std::int64_t>& cells = one.cells;
  BinnedMonths& months = one.months;
  MonthBins& m = months.months[0];
  testing::TestRng rng(5);
  std::vector<std::pair<double, double>> locs;
  for (int i = 0; i < 300; ++i) {
    const bool hot = i % 2 == 0;
    locs.emplace_back(hot ? rng.uniform(800, 1100) : rng.uniform(0, 2000),
                      hot ? rng.uniform(800, 1100) : rng.uniform(0, 2000));
  }
  std::sort(locs.begin(), locs.end());
  for (const auto& [x, y] : locs) {
    m.x.push_back(x);
    m.y.push_back(y);
    m.w.push_back(1);
    m.cells.emplace_back(grid.index(grid.row_of(y), grid.col_of(x)), 1.0);
    ++m.incidents;
  }
  std::sort(m.cells.begin(), m.cells.end());
  const Period train{0, 0};
  const std::vector<double> counts = months.counts(train);
  const MethodInput input{grid, nullptr, cells, months, 1, train, 1, counts};
  const std::vector<double> s = DefaultMethod{}.scores(input);
  const StreetScale scale = street_scale(m.x, m.y);
  const double h = scale.radius_m;
  const double a = scale.cell_size_m;
  ASSERT_GT(a, 50);  // coarser than the evaluation grid: several cells share one analyse cell
  int checked = 0;
  for (std::int64_t c = 0; c < 1600; c += 37) {
    const double ex = grid.centre_x(c % 40);
    const double ey = grid.centre_y(c / 40);
    // The analyse grid is snapped to whole multiples of its cell size.
    const double ax = (std::floor(ex / a) + 0.5) * a;
    const double ay = (std::floor(ey / a) + 0.5) * a;
    double f = 0;
    for (std::size_t i = 0; i < m.x.size(); ++i) {
      const double d2 = (m.x[i] - ax) * (m.x[i] - ax) + (m.y[i] - ay) * (m.y[i] - ay);
      if (d2 < h * h) f += 3.0 / (M_PI * h * h) * (1 - d2 / (h * h)) * (1 - d2 / (h * h));
    }
    EXPECT_NEAR(s[static_cast<std::size_t>(c)], 1e6 * f, 1e-9 * std::max(1.0, 1e6 * f)) << c;
    ++checked;
  }
  EXPECT_EQ(checked, 44);
  EXPECT_EQ(DefaultMethod{}.label(), "default");
}

}  // namespace
}  // namespace hotspots
