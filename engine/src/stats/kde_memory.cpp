// SPDX-License-Identifier: MIT
#include "hotspots/stats/kde_memory.hpp"

#include <cmath>
#include <limits>

namespace hotspots {

double estimate_kde_memory(const KdeMemoryInput& in) {
  const double cells = static_cast<double>(in.grid.cols) * static_cast<double>(in.grid.rows);
  double bytes = kKdeBaseBytes + static_cast<double>(in.incidents) * (kKdeBytesPerIncident + 56);
  if (in.mask) bytes += 2.5 * cells;
  if (in.whole_surface) {
    bytes += 8 * cells;
    if (in.hotspots) bytes += 9 * cells;
  } else {
    const double tile = static_cast<double>(in.tile_cells);
    const double strip = tile * static_cast<double>(in.grid.cols) * 8;
    bytes += 2 * strip + 8 * tile * tile * 4;
  }
  return bytes;
}

double cell_size_that_fits(const KdeMemoryInput& in, double budget_bytes) {
  const double c0 = in.grid.cell_size_m;
  const double width = static_cast<double>(in.grid.cols) * c0;
  const double height = static_cast<double>(in.grid.rows) * c0;
  const auto fits = [&](double cell) {
    KdeMemoryInput t = in;
    t.grid.cell_size_m = cell;
    t.grid.cols = static_cast<std::int64_t>(std::ceil(width / cell));
    t.grid.rows = static_cast<std::int64_t>(std::ceil(height / cell));
    return estimate_kde_memory(t) <= budget_bytes;
  };
  if (fits(c0)) return c0;
  const double largest = std::max(width, height);
  if (!fits(largest)) return std::numeric_limits<double>::infinity();
  double lo = c0, hi = largest;  // !fits(lo), fits(hi)
  for (int i = 0; i < 60 && hi - lo > 0.5; ++i) {
    const double mid = 0.5 * (lo + hi);
    (fits(mid) ? hi : lo) = mid;
  }
  return std::ceil(hi);
}

}  // namespace hotspots
