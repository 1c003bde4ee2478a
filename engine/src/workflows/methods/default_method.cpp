// SPDX-License-Identifier: MIT
#include "hotspots/workflows/methods/default_method.hpp"

#include <fmt/format.h>

#include "hotspots/units/grid_policy.hpp"

namespace hotspots {

std::vector<double> DefaultMethod::scores(const MethodInput& input) const {
  const WeightedPoints points = input.months.points(input.train);
  const StreetScale scale = street_scale(points.x, points.y);
  const GridSpec& eval = input.grid;
  Extent extent;
  extent.include(eval.xmin, eval.ymax - static_cast<double>(eval.rows) * eval.cell_size_m);
  extent.include(eval.xmin + static_cast<double>(eval.cols) * eval.cell_size_m, eval.ymax);
  const GridSpec grid = snapped_grid(extent, scale.cell_size_m);
  KdeOptions kde;  // analyse's defaults: quartic, density per km²
  kde.radius_m = scale.radius_m;
  const Raster surface = estimate_density(points, grid, kde, nullptr);
  std::vector<double> scores(input.cells.size());
  for (std::size_t p = 0; p < scores.size(); ++p) {
    const std::int64_t cell = input.cells[p];
    const double cx = eval.centre_x(cell % eval.cols);
    const double cy = eval.centre_y(cell / eval.cols);
    const std::int64_t row = grid.row_of(cy);
    const std::int64_t col = grid.col_of(cx);
    scores[p] = grid.contains_cell(row, col)
                    ? surface.values[static_cast<std::size_t>(grid.index(row, col))]
                    : 0.0;
  }
  return scores;
}

std::string DefaultMethod::command(double /*cell_size_m*/) const {
  return "hotspots analyse INPUT --boundary BOUNDARY -o pack (its KDE hotspots, no options)";
}

}  // namespace hotspots
