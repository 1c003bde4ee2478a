// SPDX-License-Identifier: MIT
#include "hotspots/tables/busiest_cells.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "hotspots/core/error.hpp"

namespace hotspots {

BusiestCells rank_busiest_cells(const Raster& counts, double max_area_percent) {
  if (!(max_area_percent > 0) || !(max_area_percent <= 100))
    throw InvalidArgument(
        fmt::format("max_area_percent must be in (0, 100], got {}", max_area_percent));
  if (counts.values.size() != static_cast<std::size_t>(counts.grid.cell_count()))
    throw InvalidArgument("busiest cells: the counts do not match their grid");
  BusiestCells out;
  out.cell_area_km2 = counts.grid.cell_size_m * counts.grid.cell_size_m / 1e6;
  std::vector<std::int64_t> busy;
  for (std::size_t i = 0; i < counts.values.size(); ++i) {
    const double v = counts.values[i];
    if (std::isnan(v)) continue;
    ++out.study_cells;
    out.incidents += v;
    if (v > 0) busy.push_back(static_cast<std::int64_t>(i));
  }
  if (out.study_cells == 0) return out;
  const auto k = std::min<std::int64_t>(
      static_cast<std::int64_t>(busy.size()),
      static_cast<std::int64_t>(
          std::ceil(max_area_percent * static_cast<double>(out.study_cells) / 100 - 1e-9)));
  const auto before = [&](std::int64_t a, std::int64_t b) {
    const double va = counts.values[static_cast<std::size_t>(a)];
    const double vb = counts.values[static_cast<std::size_t>(b)];
    return va != vb ? va > vb : a < b;
  };
  std::partial_sort(busy.begin(), busy.begin() + k, busy.end(), before);
  double cum = 0;
  for (std::int64_t r = 0; r < k; ++r) {
    const std::int64_t i = busy[static_cast<std::size_t>(r)];
    BusiestCell c;
    c.rank = r + 1;
    c.row = i / counts.grid.cols;
    c.col = i % counts.grid.cols;
    c.count = counts.values[static_cast<std::size_t>(i)];
    cum += c.count;
    c.cum_area_km2 = static_cast<double>(c.rank) * out.cell_area_km2;
    c.cum_area_share = static_cast<double>(c.rank) / static_cast<double>(out.study_cells);
    c.cum_incident_share = out.incidents > 0 ? cum / out.incidents : 0;
    c.pai = c.cum_incident_share / c.cum_area_share;
    out.cells.push_back(c);
  }
  return out;
}

}  // namespace hotspots
