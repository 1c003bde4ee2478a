// SPDX-License-Identifier: MIT
#pragma once

#include <concepts>
#include <cstddef>
#include <string_view>
#include <vector>

#include "hotspots/io/vector_io.hpp"
#include "hotspots/stats/gistar.hpp"

namespace hotspots {

/// What every member S of LocalStatisticList provides (one header/source pair each, beside
/// this). A local statistic is computed per unit of analysis beside Gi*, on the incidents per
/// unit and the units' contiguity, and written as extra fields of the Gi* cell layers:
///   name, summary  its name ("local_moran") and one line of help (the gistar help lists them);
///   Options        its options with defaults (inherited by GiStarUnitsOptions and
///                  GiStarCellsOptions, so `options.permutations` names them directly), with
///                  validate() throwing InvalidArgument naming the field;
///   Result         its per-unit columns (inherited by GiStarUnits and GiStarCells) with
///                  for_each_column(f) calling f(column, value outside the study area) for each;
///   visit_options(o, v)   calls v(name, field, help) for each option: the spec JSON keys
///                  (gistar.<name>), the command-line flags (--<name with dashes>) and the
///                  CLI's field-to-flag messages follow from it. Option names share one
///                  namespace across the list, as flags do: a second statistic reuses an option
///                  (e.g. permutations) only when it means the same thing for both;
///   enabled(o)     whether these options ask for it (its columns stay empty otherwise);
///   disable(o)     options that skip it (when nothing writes its fields);
///   compute(values, contiguity, o, result)   fills the columns, one value per unit;
///   fields()       the fields it adds to a cell layer, in order;
///   append_values(result, i, out)   unit i's values of fields() (nulls when not computed);
///   significant(result, i)   whether unit i is significant (kept by --cells-subset significant).
template <class S>
concept LocalStatistic = requires(const typename S::Options& o, typename S::Options& mo,
                                  typename S::Result& r, const std::vector<double>& values,
                                  const Neighbours& nb, std::vector<FieldValue>& out) {
  { S::name } -> std::convertible_to<std::string_view>;
  { S::summary } -> std::convertible_to<std::string_view>;
  o.validate();
  { S::enabled(o) } -> std::same_as<bool>;
  S::disable(mo);
  S::compute(values, nb, o, r);
  { S::fields() } -> std::same_as<std::vector<FieldDef>>;
  S::append_values(r, std::size_t{0}, out);
  { S::significant(r, std::size_t{0}) } -> std::same_as<bool>;
};

}  // namespace hotspots
