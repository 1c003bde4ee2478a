// SPDX-License-Identifier: MIT
#include "hotspots/workflows/methods/method.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "hotspots/core/error.hpp"
#include "hotspots/units/grid_policy.hpp"

namespace hotspots {

std::vector<double> BinnedMonths::counts(const Period& window) const {
  std::vector<double> out(cells, 0.0);
  for (std::int32_t m = window.first; m <= window.last; ++m)
    for (const auto& [pos, w] : month(m).cells) out[static_cast<std::size_t>(pos)] += w;
  return out;
}

GridSpec analyse_grid_over(const GridSpec& backtest, double cell_size_m) {
  Extent extent;
  extent.include(backtest.xmin,
                 backtest.ymax - static_cast<double>(backtest.rows) * backtest.cell_size_m);
  extent.include(backtest.xmin + static_cast<double>(backtest.cols) * backtest.cell_size_m,
                 backtest.ymax);
  return snapped_grid(extent, cell_size_m);
}

std::vector<double> sample_at_positions(const MethodInput& input, const Raster& values) {
  const GridSpec& eval = input.grid;
  const GridSpec& grid = values.grid;
  std::vector<double> scores(input.cells.size(), 0.0);
  for (std::size_t p = 0; p < scores.size(); ++p) {
    const std::int64_t cell = input.cells[p];
    const std::int64_t row = grid.row_of(eval.centre_y(cell / eval.cols));
    const std::int64_t col = grid.col_of(eval.centre_x(cell % eval.cols));
    if (grid.contains_cell(row, col))
      scores[p] = values.values[static_cast<std::size_t>(grid.index(row, col))];
  }
  return scores;
}

WeightedPoints BinnedMonths::points(const Period& window) const {
  WeightedPoints points;
  for (std::int32_t m = window.first; m <= window.last; ++m) {
    const MonthBins& b = month(m);
    points.x.insert(points.x.end(), b.x.begin(), b.x.end());
    points.y.insert(points.y.end(), b.y.begin(), b.y.end());
    points.w.insert(points.w.end(), b.w.begin(), b.w.end());
  }
  return points;
}

double parse_positive_metres(std::string_view where, std::string_view key, std::string_view value) {
  double v = 0;
  const auto* end = value.data() + value.size();
  const auto [ptr, ec] = std::from_chars(value.data(), end, v);
  if (ec != std::errc() || ptr != end || !std::isfinite(v) || !(v > 0))
    throw InvalidArgument(
        fmt::format("{}: {}={} is not a positive number in metres", where, key, value));
  return v;
}

std::string method_number(double v) {
  return fmt::format("{}", v);
}

}  // namespace hotspots
