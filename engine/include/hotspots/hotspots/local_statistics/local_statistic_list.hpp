// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <string>
#include <type_traits>
#include <vector>

#include "hotspots/core/progress.hpp"
#include "hotspots/core/type_list.hpp"
#include "hotspots/hotspots/local_statistics/local_moran_statistic.hpp"
#include "hotspots/hotspots/local_statistics/local_statistic.hpp"

namespace hotspots {

/// Every local statistic computed beside Gi* over units of analysis, in the order their fields
/// follow Gi*'s in a cell layer. A new statistic is a header/source pair beside these (see
/// local_statistic.hpp) and one entry here: its options join GiStarUnitsOptions and
/// GiStarCellsOptions, its columns join GiStarUnits and GiStarCells, analyse_gistar computes it,
/// the cell layers (GeoJSON/GPKG/CSV, the pack's gistar_cells) write it, --cells-subset
/// significant keeps its significant units, `gistar --help` lists it, and the typed tests
/// (tests/unit/hotspots/local_statistics_test.cpp) check it.
using LocalStatisticList = TypeList<LocalMoranStatistic>;

namespace detail {
template <class... Ss>
constexpr bool all_local_statistics(TypeList<Ss...> /*list*/) {
  return (LocalStatistic<Ss> && ...);
}
template <class List>
struct LocalOptionsOf;
template <class... Ss>
struct LocalOptionsOf<TypeList<Ss...>> : Ss::Options... {};
template <class List>
struct LocalResultsOf;
template <class... Ss>
struct LocalResultsOf<TypeList<Ss...>> : Ss::Result... {};
}  // namespace detail
static_assert(detail::all_local_statistics(LocalStatisticList{}),
              "every member of LocalStatisticList provides what local_statistic.hpp lists");

/// The options of every local statistic (each statistic's Options, as base classes).
struct LocalStatisticOptions : detail::LocalOptionsOf<LocalStatisticList> {
  /// Each statistic's Options::validate(), in list order.
  void validate_local() const {
    for_each_type(LocalStatisticList{},
                  [&]<class S>() { static_cast<const typename S::Options&>(*this).validate(); });
  }
};

/// The per-unit columns of every local statistic (each statistic's Result, as base classes).
struct LocalStatisticResults : detail::LocalResultsOf<LocalStatisticList> {
  /// Calls f(column, value outside the study area) for every column of every statistic.
  template <class F>
  void for_each_column(F&& f) {
    for_each_type(LocalStatisticList{},
                  [&]<class S>() { static_cast<typename S::Result&>(*this).for_each_column(f); });
  }
};

/// Computes every enabled statistic of the list on `values` over `contiguity`; each reports its
/// own phase to `progress`.
inline void compute_local_statistics(const std::vector<double>& values,
                                     const Neighbours& contiguity,
                                     const LocalStatisticOptions& options,
                                     LocalStatisticResults& out, const Progress& progress = {}) {
  for_each_type(LocalStatisticList{}, [&]<class S>() {
    const auto& o = static_cast<const typename S::Options&>(options);
    if (S::enabled(o))
      S::compute(values, contiguity, o, static_cast<typename S::Result&>(out), progress);
  });
}

/// Options that skip every statistic of the list (when nothing writes their fields).
inline void disable_local_statistics(LocalStatisticOptions& options) {
  for_each_type(LocalStatisticList{},
                [&]<class S>() { S::disable(static_cast<typename S::Options&>(options)); });
}

/// Calls v(name, field, help) for every option of every statistic, in list order.
template <class O, class V>
void visit_local_statistic_options(O& options, V&& v) {
  for_each_type(LocalStatisticList{}, [&]<class S>() {
    using Base =
        std::conditional_t<std::is_const_v<O>, const typename S::Options, typename S::Options>;
    S::visit_options(static_cast<Base&>(options), v);
  });
}

/// Whether any statistic of the list is enabled by these options (they need contiguity).
[[nodiscard]] inline bool any_local_statistic(const LocalStatisticOptions& options) {
  bool any = false;
  for_each_type(LocalStatisticList{}, [&]<class S>() {
    any = any || S::enabled(static_cast<const typename S::Options&>(options));
  });
  return any;
}

/// The fields every statistic of the list adds to a cell layer, in list order.
[[nodiscard]] inline std::vector<FieldDef> local_statistic_fields() {
  std::vector<FieldDef> fields;
  for_each_type(LocalStatisticList{}, [&]<class S>() {
    for (FieldDef& f : S::fields()) fields.push_back(std::move(f));
  });
  return fields;
}

/// Unit i's values of local_statistic_fields(), appended to `out`.
inline void append_local_statistic_values(const LocalStatisticResults& results, std::size_t i,
                                          std::vector<FieldValue>& out) {
  for_each_type(LocalStatisticList{}, [&]<class S>() {
    S::append_values(static_cast<const typename S::Result&>(results), i, out);
  });
}

/// Whether any statistic of the list finds unit i significant.
[[nodiscard]] inline bool locally_significant(const LocalStatisticResults& results, std::size_t i) {
  bool any = false;
  for_each_type(LocalStatisticList{}, [&]<class S>() {
    any = any || S::significant(static_cast<const typename S::Result&>(results), i);
  });
  return any;
}

/// "local_moran: Local Moran's I ...", one line per statistic (help text).
[[nodiscard]] inline std::string local_statistics_help() {
  std::string text;
  for_each_type(LocalStatisticList{}, [&]<class S>() {
    text += "  ";
    text += S::name;
    text += ": ";
    text += S::summary;
    text += "\n";
  });
  return text;
}

}  // namespace hotspots
