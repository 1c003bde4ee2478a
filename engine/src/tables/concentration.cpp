// SPDX-License-Identifier: MIT
#include "hotspots/tables/concentration.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include "hotspots/core/error.hpp"

namespace hotspots {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

void ConcentrationOptions::validate() const {
  for (const double p : top_percent)
    if (!(p > 0 && p <= 100))
      throw InvalidArgument(
          fmt::format("concentration: top_percent values must be in (0, 100], got {}", p));
  if (!(target_share > 0 && target_share <= 1))
    throw InvalidArgument(
        fmt::format("concentration: target_share must be in (0, 1], got {}", target_share));
}

Concentration compute_concentration(const Raster& counts, const ConcentrationOptions& options,
                                    const CellMask* mask) {
  options.validate();
  if (counts.values.size() != static_cast<std::size_t>(counts.grid.cell_count()))
    throw InvalidArgument(fmt::format("concentration: {} values for a grid of {} cells",
                                      counts.values.size(), counts.grid.cell_count()));
  if (mask && (!(mask->grid == counts.grid) || mask->inside.size() != counts.values.size()))
    throw InvalidArgument("concentration: the study-area mask is on a different grid");

  std::vector<double> v;
  v.reserve(counts.values.size());
  for (std::size_t i = 0; i < counts.values.size(); ++i) {
    const double c = counts.values[i];
    if (std::isnan(c) || (mask && !mask->inside[i])) continue;
    if (!(c >= 0) || std::isinf(c))
      throw InvalidArgument(
          fmt::format("concentration: cell {} has count {}; counts must be "
                      "finite and non-negative",
                      i, c));
    v.push_back(c);
  }
  std::sort(v.begin(), v.end(), std::greater<>());

  Concentration out;
  out.cells = static_cast<std::int64_t>(v.size());
  out.cell_area_km2 = counts.grid.cell_size_m * counts.grid.cell_size_m / 1e6;
  out.target_share = options.target_share;
  // Summed in descending order: the prefix sums below are then exactly the partial sums of the
  // total, so "top 100 %" equals the total bit for bit.
  std::vector<double> prefix(v.size() + 1, 0.0);
  for (std::size_t i = 0; i < v.size(); ++i) prefix[i + 1] = prefix[i] + v[i];
  out.incidents = prefix.back();
  const double n = static_cast<double>(out.cells);
  const bool any = out.incidents > 0;

  for (const double pct : options.top_percent) {
    TopCells t;
    t.percent = pct;
    // The 1e-9 keeps 5 % of 200 cells at 10 cells when pct/100·n rounds to 10.000000000000002.
    t.cells = std::min(out.cells, static_cast<std::int64_t>(std::ceil(pct / 100.0 * n - 1e-9)));
    t.share_cells = out.cells > 0 ? static_cast<double>(t.cells) / n : kNaN;
    t.incidents = prefix[static_cast<std::size_t>(t.cells)];
    t.share_incidents = any ? t.incidents / out.incidents : kNaN;
    out.top.push_back(t);
  }

  out.cells_with_incidents = std::count_if(v.begin(), v.end(), [](double c) { return c > 0; });
  out.share_cells_with_incidents =
      out.cells > 0 ? static_cast<double>(out.cells_with_incidents) / n : kNaN;

  if (any) {
    // The relative slack lets weighted counts reach a target of exactly 100 % despite rounding.
    const double target = options.target_share * out.incidents * (1 - 1e-12);
    const auto it = std::lower_bound(prefix.begin() + 1, prefix.end(), target);
    out.cells_for_target = static_cast<std::int64_t>(it - prefix.begin());
    out.share_cells_for_target = static_cast<double>(out.cells_for_target) / n;
  } else {
    out.share_cells_for_target = kNaN;
  }
  out.area_km2_for_target = static_cast<double>(out.cells_for_target) * out.cell_area_km2;
  return out;
}

}  // namespace hotspots
