// SPDX-License-Identifier: MIT
// hotspots::evaluate: the scorers against brute force (every subset of cells for the best
// possible hot area), hand-worked backtests, tie-breaking, window arithmetic, method-spec parsing.

#include "hotspots/workflows/evaluate.hpp"
#include "hotspots/units/grid_policy.hpp"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <variant>

#include "hotspots/core/error.hpp"
#include "support/test_rng.hpp"

namespace hotspots {
namespace {

using ::testing::HasSubstr;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string error_of(const std::string& text) {
  try {
    std::ignore = parse_method_specs(text);
  } catch (const InvalidArgument& e) {
    return e.what();
  }
  return "no error";
}

TEST(Evaluate, ScoresMatchBruteForceOnRandomGrids) {
  testing::TestRng rng(20240614);
  for (int trial = 0; trial < 300; ++trial) {
    const int n = 3 + static_cast<int>(rng.next() % 8);  // 3..10 cells: 2^n subsets
    std::vector<double> scores(static_cast<std::size_t>(n));
    std::vector<double> test(scores.size());
    std::vector<double> train(scores.size());
    for (std::size_t i = 0; i < scores.size(); ++i) {
      scores[i] = static_cast<double>(rng.next() % 4);  // few values: many ties
      test[i] = static_cast<double>(rng.next() % 5);
      train[i] = static_cast<double>(rng.next() % 6);
    }
    const std::vector<double> percents = {10, 25, 50, 100};
    const auto got = score_hot_areas(scores, test, train, percents);
    ASSERT_EQ(got.size(), percents.size());
    double N = 0, N_train = 0;
    for (std::size_t i = 0; i < test.size(); ++i) {
      N += test[i];
      N_train += train[i];
    }
    for (std::size_t a = 0; a < percents.size(); ++a) {
      // k by the documented rule, rounding half away from zero (= half up here) with lround.
      const long k = std::max(1L, std::lround(percents[a] / 100.0 * n));
      // Brute-force rank: the cells that beat cell i (higher score, or equal and lower index).
      double hits = 0, train_hits = 0;
      for (int i = 0; i < n; ++i) {
        int beaten_by = 0;
        for (int j = 0; j < n; ++j)
          if (scores[j] > scores[i] || (scores[j] == scores[i] && j < i)) ++beaten_by;
        if (beaten_by < k) {
          hits += test[i];
          train_hits += train[i];
        }
      }
      // The best any k cells can do: every subset of size k.
      double best = 0;
      for (unsigned subset = 0; subset < (1u << n); ++subset) {
        if (std::popcount(subset) != k) continue;
        double s = 0;
        for (int i = 0; i < n; ++i)
          if (subset & (1u << i)) s += test[i];
        best = std::max(best, s);
      }
      const AreaScore& g = got[a];
      EXPECT_EQ(g.hot_cells, k);
      EXPECT_EQ(g.test_hits, hits);
      EXPECT_EQ(g.train_hits, train_hits);
      EXPECT_EQ(g.best_hits, best);
      if (N > 0) {
        EXPECT_DOUBLE_EQ(g.hit_rate, hits / N);
        EXPECT_DOUBLE_EQ(g.pai, (hits / N) / (static_cast<double>(k) / n));
      } else {
        EXPECT_TRUE(std::isnan(g.hit_rate));
      }
      if (best > 0)
        EXPECT_DOUBLE_EQ(g.pei, hits / best);
      else
        EXPECT_TRUE(std::isnan(g.pei));
      if (train_hits > 0 && N > 0)
        EXPECT_DOUBLE_EQ(g.rri, (hits / train_hits) / (N / N_train));
      else
        EXPECT_TRUE(std::isnan(g.rri));
    }
  }
}

TEST(Evaluate, OracleThatRanksTestCellsFirstHasPeiOne) {
  testing::TestRng rng(7);
  std::vector<double> test(500);
  for (double& t : test) t = rng.poisson(0.3);
  const std::vector<double> train(test.size(), 1.0);
  for (const AreaScore& s : score_hot_areas(test, test, train, {0.5, 1, 2, 5, 20, 100}))
    EXPECT_EQ(s.pei, 1.0) << s.area_percent;
  // The whole area catches every incident: hit rate 1, PAI 1.
  const auto all = score_hot_areas(test, test, train, {100});
  EXPECT_EQ(all[0].hit_rate, 1.0);
  EXPECT_EQ(all[0].pai, 1.0);
}

TEST(Evaluate, TiesBreakByCellIndexAndNanRanksLast) {
  EXPECT_EQ(rank_cells({1, 2, 2, kNaN, 2, 0}), (std::vector<std::int64_t>{1, 2, 4, 0, 5, 3}));
  // Hand-worked: 4 cells, the top 2 by score are cells 1 and 2 (tie at 5 with cell 3 goes to
  // the lower index): hits = 2 + 0 of N = 10; PAI = 0.2 / 0.5 = 0.4; best 2 cells hold 8 + 2.
  const auto s = score_hot_areas({1, 5, 5, 5}, {0, 2, 0, 8}, {1, 1, 1, 1}, {50});
  EXPECT_EQ(s[0].hot_cells, 2);
  EXPECT_EQ(s[0].test_hits, 2);
  EXPECT_DOUBLE_EQ(s[0].pai, 0.4);
  EXPECT_DOUBLE_EQ(s[0].pei, 0.2);
  EXPECT_DOUBLE_EQ(s[0].rri, (2.0 / 2.0) / (10.0 / 4.0));
}

TEST(Evaluate, HotCellCountRoundsHalfUpWithAtLeastOneCell) {
  EXPECT_EQ(hot_cell_count(0.5, 1000), 5);
  EXPECT_EQ(hot_cell_count(0.05, 1000), 1);  // 0.5 cells -> 1
  EXPECT_EQ(hot_cell_count(0.04, 1000), 1);  // 0.4 cells -> 0, raised to 1
  EXPECT_EQ(hot_cell_count(2.5, 100), 3);    // 2.5 -> 3
  EXPECT_EQ(hot_cell_count(2.4, 100), 2);
  EXPECT_EQ(hot_cell_count(100, 7), 7);
  EXPECT_THROW(std::ignore = hot_cell_count(0, 10), InvalidArgument);
  EXPECT_THROW(std::ignore = hot_cell_count(100.5, 10), InvalidArgument);
  EXPECT_THROW(std::ignore = hot_cell_count(kNaN, 10), InvalidArgument);
}

TEST(Evaluate, MethodSpecsParseWithCanonicalLabels) {
  const auto m = parse_method_specs(
      "kde:radius=150,kde:kernel=epanechnikov:radius=300.5,gistar,gistar:band=500,counts,last");
  ASSERT_EQ(m.size(), 6u);
  const auto kde = [&](std::size_t i) { return std::get<KdeMethod>(m[i].method); };
  const auto gistar = [&](std::size_t i) { return std::get<GistarMethod>(m[i].method); };
  EXPECT_TRUE(std::holds_alternative<KdeMethod>(m[0].method));
  EXPECT_EQ(kde(0).radius_m, 150);
  EXPECT_EQ(kde(0).kernel, Kernel{kernels::Quartic{}});
  EXPECT_EQ(m[0].label(), "kde:radius=150");
  EXPECT_EQ(kde(1).kernel, Kernel{kernels::Epanechnikov{}});
  EXPECT_EQ(m[1].label(), "kde:radius=300.5:kernel=epanechnikov");
  EXPECT_EQ(m[2].label(), "gistar");
  EXPECT_EQ(gistar(2).band_m, 0);
  EXPECT_EQ(gistar(3).band_m, 500);
  EXPECT_EQ(m[3].label(), "gistar:band=500");
  EXPECT_TRUE(std::holds_alternative<CountsMethod>(m[4].method));
  EXPECT_TRUE(std::holds_alternative<LastMethod>(m[5].method));
}

TEST(Evaluate, MethodSpecErrorsNameTheOptionAndThePart) {
  EXPECT_THAT(error_of("kde"), HasSubstr("kde needs a radius"));
  EXPECT_THAT(error_of("kde:radius=-1"), HasSubstr("radius=-1 is not a positive number"));
  EXPECT_THAT(error_of("kde:radius=abc"), HasSubstr("radius=abc is not a positive number"));
  EXPECT_THAT(error_of("kde:radius=1:radius=2"), HasSubstr("'radius' given twice"));
  EXPECT_THAT(error_of("kde:bandwidth=100"), HasSubstr("unknown key 'bandwidth' for kde"));
  EXPECT_THAT(error_of("kde:radius=100:kernel=box"), HasSubstr("kernel"));
  EXPECT_THAT(error_of("counts:radius=1"), HasSubstr("unknown key 'radius' for counts"));
  EXPECT_THAT(error_of("gistar:band"), HasSubstr("'band' is not KEY=VALUE"));
  EXPECT_THAT(error_of("nnh"), HasSubstr("unknown method 'nnh'"));
  EXPECT_THAT(error_of("counts,,last"), HasSubstr("empty method"));
  EXPECT_THAT(error_of(""), HasSubstr("empty method"));
  EXPECT_THAT(error_of("counts,last,counts"), HasSubstr("'counts' is given twice"));
  EXPECT_THAT(error_of("kde:radius=150,kde:radius=150.0"), HasSubstr("given twice"));
  // Engine errors name the field (the CLI shows the flag, --methods: evaluate_cli_test).
  for (const char* bad : {"kde", "nnh", "kde:radius=0"})
    EXPECT_THAT(error_of(bad), HasSubstr("methods[0]")) << bad;
}

TEST(Evaluate, RollingOriginsMatchAHandList) {
  const std::int32_t jan = 2024 * 12;  // 2024-01
  // 12 months, train 6, test 1, step 1: origins 2024-07 .. 2024-12.
  const auto a = rolling_origins(jan, jan + 11, 6, 1, 1);
  ASSERT_EQ(a.size(), 6u);
  EXPECT_EQ(a.front(), (Origin{jan + 6, jan, jan + 5, jan + 6, jan + 6}));
  EXPECT_EQ(a.back(), (Origin{jan + 11, jan + 5, jan + 10, jan + 11, jan + 11}));
  // Train 3, test 2, step 2 over 2024-01 .. 2024-10: origins Apr, Jun, Aug (Oct's test would end
  // in November).
  const auto b = rolling_origins(jan, jan + 9, 3, 2, 2);
  const std::vector<Origin> expected = {{jan + 3, jan, jan + 2, jan + 3, jan + 4},
                                        {jan + 5, jan + 2, jan + 4, jan + 5, jan + 6},
                                        {jan + 7, jan + 4, jan + 6, jan + 7, jan + 8}};
  EXPECT_EQ(b, expected);
  EXPECT_TRUE(rolling_origins(jan, jan + 5, 6, 1, 1).empty());
  EXPECT_THROW(std::ignore = rolling_origins(jan, jan + 5, 0, 1, 1), InvalidArgument);
  EXPECT_THROW(std::ignore = rolling_origins(jan, jan + 5, 1, 1, 0), InvalidArgument);
}

// A 4 x 4 grid of 100 m cells and four months, worked by hand. Cell 5 (row 1, col 1) holds 3
// incidents every month; cell 10 (row 2, col 2) holds 0, 1, 4, 4 in months 0..3. Train 2, test 1.
Incidents hand_incidents(std::int32_t m0) {
  Incidents inc;
  auto add = [&](double x, double y, std::int32_t month, int n) {
    for (int i = 0; i < n; ++i) inc.append(x, y, 1.0, Date{m0 + month, 0, -1}, -1, 0, 0);
  };
  const int cell10[4] = {0, 1, 4, 4};
  for (int m = 0; m < 4; ++m) {
    add(150, 250, m, 3);
    add(250, 150, m, cell10[m]);
  }
  return inc;
}

const GridSpec kHandGrid{0, 400, 100, 4, 4};

TEST(Evaluate, BacktestMatchesHandWorkedScores) {
  const std::int32_t m0 = 2024 * 12;
  EvaluateOptions o;
  o.methods = parse_method_specs("counts,last,kde:radius=50,gistar:band=100");
  o.train_months = 2;
  o.test_months = 1;
  o.area_percents = {6.25};  // one of the 16 cells
  const auto r = evaluate_methods(hand_incidents(m0), kHandGrid, nullptr, o);
  ASSERT_EQ(r.origins.size(), 2u);
  EXPECT_EQ(r.origins[0], (Origin{m0 + 2, m0, m0 + 1, m0 + 2, m0 + 2}));
  EXPECT_EQ(r.origins[1], (Origin{m0 + 3, m0 + 1, m0 + 2, m0 + 3, m0 + 3}));
  ASSERT_EQ(r.rows.size(), 2u * 4u);
  auto row = [&](std::size_t origin, std::size_t method) {
    return r.rows[origin * o.methods.size() + method];
  };
  // Origin 2: train = months 0-1 (cell 5: 6, cell 10: 1), test = month 2 (3 and 4, N = 7).
  // counts and last (month 1: 3 vs 1) both pick cell 5: n = 3, n* = 4.
  for (std::size_t m : {0u, 1u, 2u}) {
    const ScoreRow s = row(0, m);
    EXPECT_EQ(s.test_incidents, 7);
    EXPECT_EQ(s.train_incidents, 7);
    EXPECT_EQ(s.score.test_hits, 3) << m;
    EXPECT_DOUBLE_EQ(s.score.pai, 3.0 / 7.0 * 16.0);
    EXPECT_DOUBLE_EQ(s.score.pei, 0.75);
    EXPECT_DOUBLE_EQ(s.score.rri, (3.0 / 6.0) / (7.0 / 7.0));
  }
  // Origin 3: train = months 1-2 (cell 5: 6, cell 10: 5) -> counts picks cell 5 (n = 3 of 7);
  // last = month 2 (3 vs 4) picks cell 10 (n = 4 = n*, PEI 1), RRI = (4/5)/(7/11).
  EXPECT_EQ(row(1, 0).score.test_hits, 3);
  EXPECT_DOUBLE_EQ(row(1, 0).score.pei, 0.75);
  EXPECT_EQ(row(1, 1).score.test_hits, 4);
  EXPECT_DOUBLE_EQ(row(1, 1).score.pei, 1.0);
  EXPECT_DOUBLE_EQ(row(1, 1).score.pai, 4.0 / 7.0 * 16.0);
  EXPECT_DOUBLE_EQ(row(1, 1).score.rri, (4.0 / 5.0) / (7.0 / 11.0));
  // A KDE radius of half a cell only reaches the incidents' own cells: it ranks like counts.
  EXPECT_EQ(row(1, 2).score.test_hits, 3);
  // Gi* with a one-cell band (the cell and its 4 rook neighbours, 5 for every interior cell):
  // cells 6 and 9 touch both cell 5 and cell 10, so their sums (11) beat cell 5's (6) and cell
  // 6 (the lower index) is the hot cell. It holds no incident: smoothing moved the hot spot
  // off the points where incidents recur, at both origins.
  EXPECT_EQ(row(0, 3).score.test_hits, 0);
  EXPECT_EQ(row(1, 3).score.test_hits, 0);

  const auto summary = summarise_scores(r, o.methods.size(), o.area_percents);
  ASSERT_EQ(summary.size(), 4u);
  EXPECT_DOUBLE_EQ(summary[1].mean_pai, (3.0 / 7.0 * 16.0 + 4.0 / 7.0 * 16.0) / 2);
  EXPECT_EQ(summary[1].origins, 2u);
  // Origin 2 is a four-way tie (the first listed, counts, wins it); origin 3 goes to last.
  EXPECT_EQ(summary[0].wins, 1u);
  EXPECT_EQ(summary[1].wins, 1u);
  EXPECT_EQ(summary[2].wins + summary[3].wins, 0u);
}

TEST(Evaluate, LastIsTheTrainingWindowWhenTheTestIsLonger) {
  // Train 1, test 2: origin 1 trains on month 0 only; "last" (2 months back) would reach month
  // -1, which does not exist, so it is month 0, the same as counts.
  const std::int32_t m0 = 2024 * 12;
  EvaluateOptions o;
  o.methods = parse_method_specs("counts,last");
  o.train_months = 1;
  o.test_months = 2;
  o.area_percents = {6.25};
  const auto r = evaluate_methods(hand_incidents(m0), kHandGrid, nullptr, o);
  ASSERT_EQ(r.origins.size(), 2u);  // origins 1 and 2 (test months 1-2, 2-3)
  for (std::size_t i = 0; i < r.rows.size(); i += 2) {
    EXPECT_EQ(r.rows[i].score.test_hits, r.rows[i + 1].score.test_hits);
    EXPECT_EQ(r.rows[i].score.train_hits, r.rows[i + 1].score.train_hits);
  }
  // Origin 1: month 0 puts cell 5 first; test months 1-2 hold 6 there of 6 + 5 = 11.
  EXPECT_EQ(r.rows[1].score.test_hits, 6);
  EXPECT_EQ(r.rows[1].test_incidents, 11);
}

TEST(Evaluate, OriginsWithAnEmptyMonthAreSkipped) {
  const std::int32_t m0 = 2024 * 12;
  Incidents inc;
  for (const std::int32_t m : {0, 1, 3}) inc.append(150, 250, 1.0, Date{m0 + m, 0, -1}, -1, 0, 0);
  EvaluateOptions o;
  o.methods = parse_method_specs("counts");
  o.train_months = 1;
  o.area_percents = {50};
  const auto r = evaluate_methods(inc, kHandGrid, nullptr, o);
  ASSERT_EQ(r.origins.size(), 1u);
  EXPECT_EQ(r.origins[0].origin, m0 + 1);
  ASSERT_EQ(r.skipped.size(), 2u);
  EXPECT_EQ(r.skipped[0].origin, m0 + 2);
  EXPECT_EQ(r.skipped[1].origin, m0 + 3);
}

TEST(Evaluate, IncidentsOutsideTheMaskOrUndatedAreNotUsed) {
  const std::int32_t m0 = 2024 * 12;
  Incidents inc = hand_incidents(m0);
  inc.append(350, 350, 1.0, Date{m0, 0, -1}, -1, 0, 0);  // cell 3, masked out below
  inc.append(150, 250, 2.0, Date{}, -1, 0, 0);           // no month
  CellMask mask{kHandGrid, std::vector<std::uint8_t>(16, 1)};
  mask.inside[3] = 0;
  EvaluateOptions o;
  o.methods = parse_method_specs("counts");
  o.train_months = 2;
  const auto r = evaluate_methods(inc, kHandGrid, &mask, o);
  EXPECT_EQ(r.study_cells, 15);
  EXPECT_EQ(r.outside_weight, 1.0);
  EXPECT_EQ(r.undated_weight, 2.0);
  EXPECT_EQ(r.rows[0].train_incidents, 7.0);
}

TEST(Evaluate, ResultDoesNotDependOnTheThreadCount) {
  testing::TestRng rng(99);
  Incidents inc;
  for (int i = 0; i < 3000; ++i)
    inc.append(rng.uniform(0, 3000), rng.uniform(0, 3000), 1.0,
               Date{2024 * 12 + static_cast<std::int32_t>(rng.next() % 8), 0, -1}, -1, 0, 0);
  const GridSpec grid{0, 3000, 50, 60, 60};
  EvaluateOptions o;
  o.methods = parse_method_specs("kde:radius=200,gistar,counts,last");
  o.train_months = 3;
  const auto many = evaluate_methods(inc, grid, nullptr, o);
  EvaluateResult one;
  {
    tbb::global_control c(tbb::global_control::max_allowed_parallelism, 1);
    one = evaluate_methods(inc, grid, nullptr, o);
  }
  ASSERT_EQ(many.rows.size(), one.rows.size());
  for (std::size_t i = 0; i < many.rows.size(); ++i) {
    EXPECT_EQ(std::memcmp(&many.rows[i].score, &one.rows[i].score, sizeof(AreaScore)), 0) << i;
  }
}

// kde:radius=auto is the pack's default KDE: Silverman's rule on each training window's
// incidents (analyse_group's silverman_radius of the raw points). With one origin its rows equal
// those of kde:radius=<that radius computed here from the raw incidents>.
// radius=auto is the default of analyse and kde: the nearest-neighbour rule (street_scale, whose
// figures nearest_neighbour_test.cpp checks against brute force) on the training window.
TEST(Evaluate, KdeAutoRadiusIsTheNearestNeighbourRuleOnTheTrainingWindow) {
  testing::TestRng rng(7);
  Incidents inc;
  const std::int32_t m0 = 2024 * 12;
  WeightedPoints train;
  for (int i = 0; i < 2000; ++i) {
    const bool hot = rng.uniform() < 0.4;
    const double x = hot ? rng.uniform(800, 1100) : rng.uniform(0, 3000);
    const double y = hot ? rng.uniform(1900, 2200) : rng.uniform(0, 3000);
    const auto month = static_cast<std::int32_t>(i % 3);
    inc.append(x, y, 1.0, Date{m0 + month, 0, -1}, -1, 0, 0);
    if (month < 2) {
      train.x.push_back(x);
      train.y.push_back(y);
      train.w.push_back(1.0);
    }
  }
  const double h = street_scale(train.x, train.y).radius_m;
  EXPECT_NE(h, silverman_radius(train));
  const GridSpec grid{0, 3000, 50, 60, 60};
  EvaluateOptions o;
  o.methods = parse_method_specs(fmt::format("kde:radius=auto,kde:radius={}", h));
  EXPECT_EQ(o.methods[0].label(), "kde:radius=auto") << "labels round-trip";
  o.train_months = 2;
  o.test_months = 1;
  o.area_percents = {1, 5};
  const auto r = evaluate_methods(inc, grid, nullptr, o);
  ASSERT_EQ(r.origins.size(), 1u);
  ASSERT_EQ(r.rows.size(), 4u);  // method-major within the origin, then area share
  for (std::size_t a = 0; a < 2; ++a) {
    EXPECT_EQ(r.rows[a].method, 0u);
    EXPECT_EQ(r.rows[2 + a].method, 1u);
    EXPECT_EQ(r.rows[a].score.test_hits, r.rows[2 + a].score.test_hits) << a;
    EXPECT_EQ(r.rows[a].score.pai, r.rows[2 + a].score.pai) << a;
    EXPECT_GT(r.rows[a].score.test_hits, 0) << a;
  }
}

TEST(Evaluate, OptionsAreValidated) {
  EvaluateOptions o;
  EXPECT_THROW(o.validate(), InvalidArgument);  // no methods
  o.methods = parse_method_specs("counts");
  o.validate();
  o.area_percents = {1, 1};
  EXPECT_THROW(o.validate(), InvalidArgument);
  o.area_percents = {0};
  EXPECT_THROW(o.validate(), InvalidArgument);
  o.area_percents = {1};
  o.test_months = 0;
  EXPECT_THROW(o.validate(), InvalidArgument);
  o.test_months = 1;
  o.methods = parse_method_specs("gistar:band=50");
  EXPECT_THROW(std::ignore = evaluate_methods(hand_incidents(0), kHandGrid, nullptr, o),
               InvalidArgument);  // band shorter than the 100 m cells
}

}  // namespace
}  // namespace hotspots
