// SPDX-License-Identifier: MIT
#pragma once

#include "hotspots/core/type_list.hpp"
#include "hotspots/workflows/methods/counts_method.hpp"
#include "hotspots/workflows/methods/default_method.hpp"
#include "hotspots/workflows/methods/gistar_method.hpp"
#include "hotspots/workflows/methods/kde_method.hpp"
#include "hotspots/workflows/methods/last_method.hpp"
#include "hotspots/workflows/methods/method.hpp"
#include "hotspots/workflows/methods/patrol_method.hpp"

namespace hotspots {

/// Every backtest method of `hotspots evaluate`, in the order help and messages list them. A
/// new method is a header/source pair beside these (see method.hpp) and one entry here: parsing
/// of --methods, the help text, the dispatch in evaluate_methods and the typed tests
/// (tests/unit/workflows/methods_test.cpp) follow from this list.
using MethodList =
    TypeList<KdeMethod, GistarMethod, CountsMethod, LastMethod, PatrolMethod, DefaultMethod>;

/// A method with its parameters: one of MethodList.
using Method = VariantOf<MethodList>;

namespace detail {
template <class... Ms>
constexpr bool all_backtest_methods(TypeList<Ms...> /*list*/) {
  return (BacktestMethod<Ms> && ...);
}
}  // namespace detail
static_assert(detail::all_backtest_methods(MethodList{}),
              "every member of MethodList provides what method.hpp lists");

}  // namespace hotspots
