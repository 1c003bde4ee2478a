// SPDX-License-Identifier: MIT
#pragma once
// What every backtest method (workflows/methods/*.hpp, listed in method_list.hpp) is and sees.

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hotspots/core/grid.hpp"
#include "hotspots/core/period.hpp"
#include "hotspots/stats/kde.hpp"

namespace hotspots {

/// A month's incidents in study-area cells: per-cell weights (sorted by cell position) and
/// distinct locations with summed weights (sorted by x, y).
struct MonthBins {
  std::vector<std::pair<std::int64_t, double>> cells;
  std::vector<double> x, y, w;
  std::int64_t incidents = 0;
};

/// Every month of a backtest, binned once (evaluate_methods), and the windows formed from them.
struct BinnedMonths {
  std::int32_t first_month = 0;  ///< month index of months[0]
  std::vector<MonthBins> months;
  std::size_t cells = 0;  ///< study-area cells

  const MonthBins& month(std::int32_t m) const {
    return months[static_cast<std::size_t>(m - first_month)];
  }
  /// Incident weight per study-area position over the months of `window`. O(cells + incidents).
  [[nodiscard]] std::vector<double> counts(const Period& window) const;
  /// The distinct locations of the months of `window`, month after month (a location of two
  /// months appears twice: estimate_density merges it). O(locations).
  [[nodiscard]] WeightedPoints points(const Period& window) const;
};

/// What a method sees of one origin's fit.
struct MethodInput {
  const GridSpec& grid;
  const CellMask* mask;                     ///< nullptr: every cell is in the study area
  const std::vector<std::int64_t>& cells;   ///< study-area cells: position p ↔ grid cell cells[p]
  const BinnedMonths& months;               ///< every month, binned
  std::int32_t origin = 0;                  ///< first test month
  Period train;                             ///< training window
  int test_months = 1;                      ///< EvaluateOptions::test_months
  const std::vector<double>& train_counts;  ///< months.counts(train)
};

/// A backtest method M, one of MethodList:
///  - `name`, `usage` and `summary` ("kde", "kde:radius=M[:kernel=K]", "exact KDE of ..."):
///    the text's NAME, and the CLI's help (fields named as fields, e.g. `test_months`);
///  - `example`: a canonical text of the method (tests parse it back);
///  - `keys`: the KEYs its text takes, in the order help and messages list them;
///  - `set(key, value, where)`: one KEY=VALUE (key is one of `keys`, given once); throws
///    InvalidArgument starting with `where` (e.g. "methods[2] 'kde:radius=abc'");
///  - `validate(where)`: throws InvalidArgument starting with `where` for unusable parameters
///    (also after parsing: a required key that is missing);
///  - `label()`: the canonical text used in every output (parses back to an equal method);
///  - `scores(input)`: one score per study-area position, higher = hotter (NaN ranks last);
///  - `command(cell_size_m)`: the hotspots command line that makes this method's hot area
///    (evaluate says it beside every recommendation);
///  - optionally `check_grid(grid, where)`: refuses parameters that this grid cannot use.
/// Methods are values: default-constructible and equality-comparable.
template <class M>
concept BacktestMethod = std::regular<M> &&
    requires(M& m, const M& cm, std::string_view text, const MethodInput& input) {
  { M::name } -> std::convertible_to<std::string_view>;
  { M::usage } -> std::convertible_to<std::string_view>;
  { M::summary } -> std::convertible_to<std::string_view>;
  { M::example } -> std::convertible_to<std::string_view>;
  { M::keys.size() } -> std::convertible_to<std::size_t>;
  m.set(text, text, text);
  cm.validate(text);
  { cm.label() } -> std::convertible_to<std::string>;
  { cm.scores(input) } -> std::same_as<std::vector<double>>;
  { cm.command(1.0) } -> std::convertible_to<std::string>;
};

/// `hotspots analyse`'s grid for cells of `cell_size_m` (e.g. a training window's
/// nearest-neighbour cell): snapped_grid() over the extent of the backtest grid `backtest`, as
/// analyse snaps its grid over the study area. O(1).
[[nodiscard]] GridSpec analyse_grid_over(const GridSpec& backtest, double cell_size_m);

/// For each study-area position of `input`, the value of the cell of `values`' grid holding the
/// backtest cell's centre (0 when no cell holds it): scores of a method fitted on another grid.
/// O(positions).
[[nodiscard]] std::vector<double> sample_at_positions(const MethodInput& input,
                                                      const Raster& values);

/// A positive finite number from a method's VALUE; throws InvalidArgument
/// "<where>: <key>=<value> is not a positive number in metres". O(length).
[[nodiscard]] double parse_positive_metres(std::string_view where, std::string_view key,
                                           std::string_view value);

/// Shortest text that reads back as `v` ("150", "300.5"): numbers in labels.
[[nodiscard]] std::string method_number(double v);

}  // namespace hotspots
