// SPDX-License-Identifier: MIT
#include "hotspots/core/grid.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "hotspots/core/error.hpp"

namespace hotspots {

GridSpec snapped_grid(const Extent& extent, double cell_size_m, std::int64_t max_cells) {
  if (!(cell_size_m > 0) || !std::isfinite(cell_size_m))
    throw InvalidArgument(
        fmt::format("cell size must be a positive number of metres, got {}", cell_size_m));
  if (extent.empty()) throw InvalidArgument("cannot build a grid over an empty extent");
  const double x0 = std::floor(extent.xmin / cell_size_m) * cell_size_m;
  const double y0 = std::floor(extent.ymin / cell_size_m) * cell_size_m;
  double x1 = std::ceil(extent.xmax / cell_size_m) * cell_size_m;
  double y1 = std::ceil(extent.ymax / cell_size_m) * cell_size_m;
  // A degenerate extent (one point) still gets one cell.
  if (x1 <= x0) x1 = x0 + cell_size_m;
  if (y1 <= y0) y1 = y0 + cell_size_m;
  GridSpec g;
  g.xmin = x0;
  g.ymax = y1;
  g.cell_size_m = cell_size_m;
  g.cols = std::max<std::int64_t>(1, std::llround((x1 - x0) / cell_size_m));
  g.rows = std::max<std::int64_t>(1, std::llround((y1 - y0) / cell_size_m));
  const double cells = static_cast<double>(g.cols) * static_cast<double>(g.rows);
  if (cells > static_cast<double>(max_cells))
    throw InvalidArgument(fmt::format(
        "a {} m grid over {:.0f} m x {:.0f} m would have {} x {} = {:.0f} cells (limit {}); use a "
        "larger --cell-size or a boundary to limit the study area",
        cell_size_m, extent.width(), extent.height(), g.cols, g.rows, cells, max_cells));
  return g;
}

std::int64_t CellMask::count_inside() const {
  return std::count(inside.begin(), inside.end(), std::uint8_t{1});
}

}  // namespace hotspots
