// SPDX-License-Identifier: MIT
// Every local statistic of LocalStatisticList, by a typed test: a new statistic is tested here by
// adding it to the list. Its fields are named once and follow Gi*'s in the cell layer; it is
// computed only when its options ask for it; a computed statistic gives one value per unit,
// deterministic for equal options, and the same through analyse_gistar as called alone on the
// units' counts and contiguity; an uncomputed one gives nulls in the layer; its significant
// units are kept by --cells-subset significant; `gistar --help` lists it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "hotspots/core/error.hpp"
#include "hotspots/core/grid.hpp"
#include "hotspots/hotspots/gistar_layers.hpp"
#include "hotspots/hotspots/gistar_units.hpp"
#include "hotspots/hotspots/local_statistics/local_statistic_list.hpp"
#include "hotspots/units/units.hpp"
#include "support/test_rng.hpp"

namespace hotspots {
namespace {

using ::testing::HasSubstr;

template <class List>
struct GTestTypes;
template <class... Ss>
struct GTestTypes<TypeList<Ss...>> {
  using type = ::testing::Types<Ss...>;
};

struct StatisticName {
  template <class S>
  static std::string GetName(int /*index*/) {
    return std::string(S::name);
  }
};

// 30 x 30 cells of 100 m, Poisson-like background and a planted 4 x 4 hot patch.
struct Planted {
  GridSpec grid{0, 3000, 100, 30, 30};
  std::vector<double> x, y;
  Planted() {
    testing::TestRng rng(5);
    for (int i = 0; i < 3000; ++i) {
      x.push_back(rng.uniform(0, 3000));
      y.push_back(rng.uniform(0, 3000));
    }
    for (int i = 0; i < 800; ++i) {
      x.push_back(rng.uniform(1200, 1600));
      y.push_back(rng.uniform(1200, 1600));
    }
  }
};

GiStarUnitsOptions options_with(int permutations) {
  GiStarUnitsOptions o;
  o.permutations = permutations;
  o.seed = 99;
  return o;
}

template <class S>
class LocalStatisticTest : public ::testing::Test {};
TYPED_TEST_SUITE(LocalStatisticTest, typename GTestTypes<LocalStatisticList>::type, StatisticName);

TYPED_TEST(LocalStatisticTest, FieldsAreNamedOnceAfterGiStars) {
  std::set<std::string> names;
  for (const FieldDef& f : gistar_cell_fields()) EXPECT_TRUE(names.insert(f.name).second) << f.name;
  const std::vector<FieldDef> own = TypeParam::fields();
  ASSERT_FALSE(own.empty());
  const std::vector<FieldDef> all = gistar_cell_fields();
  // Gi*'s six fields come first, then each statistic's fields in list order: this one's at its
  // offset, in its order.
  EXPECT_EQ(all[5].name, "n_neighbors");
  std::size_t offset = 6;
  bool found = false;
  for_each_type(LocalStatisticList{}, [&]<class S>() {
    if constexpr (std::is_same_v<S, TypeParam>) found = true;
    if (!found) offset += S::fields().size();
  });
  ASSERT_LE(offset + own.size(), all.size());
  for (std::size_t k = 0; k < own.size(); ++k) {
    EXPECT_EQ(all[offset + k].name, own[k].name);
    EXPECT_EQ(all[offset + k].type, own[k].type);
  }
  EXPECT_THAT(local_statistics_help(), HasSubstr(std::string(TypeParam::name)));
}

TYPED_TEST(LocalStatisticTest, ComputedWhenAskedOneValuePerUnitAndDeterministic) {
  using S = TypeParam;
  const Planted p;
  const Units units = Units::squares(p.grid, nullptr);
  GiStarUnitsOptions on = options_with(99);
  GiStarUnitsOptions off = options_with(0);
  ASSERT_TRUE(S::enabled(on));
  ASSERT_FALSE(S::enabled(off));
  const GiStarAnalysis a = analyse_gistar(units, p.x, p.y, {}, on);
  const GiStarAnalysis b = analyse_gistar(units, p.x, p.y, {}, on);
  const GiStarAnalysis none = analyse_gistar(units, p.x, p.y, {}, off);

  // Alone, on the same counts and contiguity, it gives the same columns as inside the analysis.
  typename S::Result alone;
  S::compute(a.counts.values, a.contiguity, on, alone);
  const auto& in_analysis = static_cast<const typename S::Result&>(a.stats);
  std::size_t significant = 0;
  for (std::size_t i = 0; i < units.size(); ++i) {
    std::vector<FieldValue> va, vb, vn, valone;
    S::append_values(in_analysis, i, va);
    S::append_values(static_cast<const typename S::Result&>(b.stats), i, vb);
    S::append_values(static_cast<const typename S::Result&>(none.stats), i, vn);
    S::append_values(alone, i, valone);
    ASSERT_EQ(va.size(), S::fields().size());
    ASSERT_EQ(vn.size(), S::fields().size());
    EXPECT_EQ(va, vb) << i;
    EXPECT_EQ(va, valone) << i;
    for (const FieldValue& v : vn)
      EXPECT_TRUE(std::holds_alternative<std::monostate>(v) ||
                  (std::get_if<std::string>(&v) != nullptr && std::get<std::string>(v).empty()))
          << i;
    EXPECT_FALSE(S::significant(static_cast<const typename S::Result&>(none.stats), i));
    significant += S::significant(in_analysis, i) ? 1 : 0;
  }
  // The planted patch (cells r14..r17, c12..c15) is found by the statistic.
  EXPECT_GT(significant, 0u);
  EXPECT_TRUE(S::significant(in_analysis, static_cast<std::size_t>(15 * 30 + 13)));
  EXPECT_TRUE(locally_significant(a.stats, static_cast<std::size_t>(15 * 30 + 13)));
}

TEST(LocalStatisticOptions, EachStatisticValidatesItsFieldsByName) {
  GiStarUnitsOptions o;
  o.permutations = -1;
  try {
    o.validate();
    FAIL() << "no error";
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("permutations -1"));
  }
}

}  // namespace
}  // namespace hotspots
