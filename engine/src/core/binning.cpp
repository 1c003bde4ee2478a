// SPDX-License-Identifier: MIT
#include "hotspots/core/binning.hpp"

namespace hotspots {

Raster bin_points(const GridSpec& grid, const std::vector<double>& x, const std::vector<double>& y,
                  const std::vector<double>& weight, const CellMask* mask) {
  Raster out(grid, 0.0);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const std::int64_t row = grid.row_of(y[i]);
    const std::int64_t col = grid.col_of(x[i]);
    if (!grid.contains_cell(row, col)) continue;
    out.at(row, col) += weight.empty() ? 1.0 : weight[i];
  }
  if (mask)
    for (std::size_t i = 0; i < out.values.size(); ++i)
      if (!mask->inside[i]) out.values[i] = Raster::nodata();
  return out;
}

}  // namespace hotspots
