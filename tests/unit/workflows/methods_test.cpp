// SPDX-License-Identifier: MIT
// Every backtest method of MethodList, by a typed test: a new method is tested here by adding
// it to the list. Its example parses to it and its label round-trips; its name is offered in
// the unknown-method message; keys it does not take are refused naming it; a backtest of it
// alone scores every origin with defined shares on a seeded data set, the same as when it runs
// beside every other method.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <variant>

#include "hotspots/core/error.hpp"
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
  EXPECT_EQ(method_names(), "kde, gistar, counts or last");
  EXPECT_THAT(error_of("nnh"), HasSubstr("expected kde, gistar, counts or last"));
}

}  // namespace
}  // namespace hotspots
