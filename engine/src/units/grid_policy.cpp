// SPDX-License-Identifier: MIT
#include "hotspots/units/grid_policy.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "hotspots/core/error.hpp"

namespace hotspots {

double default_cell_size(const Extent& study_extent) {
  const double side = std::min(study_extent.width(), study_extent.height());
  if (study_extent.empty() || !(side > 0) || !std::isfinite(side))
    throw InvalidArgument(fmt::format(
        "cannot derive a default cell size from a {} m x {} m extent; give the cell size",
        study_extent.width(), study_extent.height()));
  return side / kDefaultCellsAcrossShorterSide;
}

StreetScale street_scale(std::span<const double> x, std::span<const double> y) {
  StreetScale s;
  s.nn = nearest_neighbour_scale(x, y);
  s.cell_size_m = s.nn.cell_size_m();
  s.radius_m = kDefaultRadiusCells * s.cell_size_m;
  return s;
}

std::string describe(const StreetScale& s, bool with_radius) {
  const NearestNeighbourScale& n = s.nn;
  return fmt::format(
      "nearest-neighbour rule (ArcGIS Optimized Hot Spot Analysis): {} distinct locations, {} "
      "locational outlier{} (nearest neighbour > {:.1f} m = mean + 3 SD) left out; mean {:.1f} m, "
      "median {:.1f} m -> cell 2 x {:.1f} = {:.1f} m{}",
      n.locations, n.outliers, n.outliers == 1 ? "" : "s", n.outlier_cut_m, n.mean_m, n.median_m,
      std::max(n.mean_m, n.median_m), s.cell_size_m,
      with_radius ? fmt::format(", radius {:g} cells = {:.1f} m", kDefaultRadiusCells, s.radius_m)
                  : std::string());
}

GridSpec snapped_grid(const Extent& extent, double cell_size_m, std::int64_t max_cells) {
  if (!(cell_size_m > 0) || !std::isfinite(cell_size_m))
    throw InvalidArgument(
        fmt::format("cell size must be a positive number of metres, got {}", cell_size_m));
  if (cell_size_m > kMaxDistanceM)
    throw InvalidArgument(fmt::format("cell_size_m must be at most {:.0f} m (1,000 km), got {:g}",
                                      kMaxDistanceM, cell_size_m));
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

GridSpec grid_over_points(std::span<const double> x, std::span<const double> y,
                          double cell_size_m) {
  if (x.size() != y.size())
    throw InvalidArgument(fmt::format("grid over points: {} x and {} y", x.size(), y.size()));
  if (x.empty()) throw InvalidArgument("cannot build a grid over no incidents");
  Extent e;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i]) || !std::isfinite(y[i]))
      throw InvalidArgument(fmt::format("incident {} has a coordinate that is not finite", i));
    e.include(x[i], y[i]);
  }
  GridSpec g = snapped_grid(e, cell_size_m);
  // snapped_grid's east/south edges may pass through the outermost points, which GridSpec's
  // edge rule puts in the (missing) next column/row: add it.
  std::int64_t max_col = 0;
  std::int64_t max_row = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    max_col = std::max(max_col, g.col_of(x[i]));
    max_row = std::max(max_row, g.row_of(y[i]));
  }
  g.cols = std::max(g.cols, max_col + 1);
  g.rows = std::max(g.rows, max_row + 1);
  return g;
}

double hex_cell_size_for_square_area(double square_cell_m) {
  // sqrt(2/√3): the side ratio of a hexagon and a square of equal area.
  constexpr double kSqrt3 = 1.7320508075688772;
  return square_cell_m * std::sqrt(2.0 / kSqrt3);
}

}  // namespace hotspots
