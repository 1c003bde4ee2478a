// SPDX-License-Identifier: MIT
#include "hotspots/hotspots/gistar_cells.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

#include "hotspots/core/error.hpp"
#include "hotspots/units/units.hpp"

namespace hotspots {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void check_points(const std::vector<double>& x, const std::vector<double>& y,
                  const std::vector<double>& weight) {
  if (x.size() != y.size() || (!weight.empty() && weight.size() != x.size()))
    throw InvalidArgument(
        fmt::format("Gi* cells: {} x, {} y and {} weights", x.size(), y.size(), weight.size()));
}

}  // namespace

void GiStarCellsOptions::validate() const {
  const bool band = distance_band_m != 0;
  if (band && knn != 0) throw InvalidArgument("give either distance_band_m or knn, not both");
  if (!band && knn == 0) throw InvalidArgument("give distance_band_m or knn");
  if (band && !(distance_band_m > 0 && std::isfinite(distance_band_m)))
    throw InvalidArgument(fmt::format("distance_band_m must be a positive number of metres, got {}",
                                      distance_band_m));
  if (knn < 0) throw InvalidArgument(fmt::format("knn must be at least 1, got {}", knn));
  validate_local();
}

GiStarCells compute_gistar_cells(const GridSpec& grid, const CellMask* mask,
                                 const std::vector<double>& x, const std::vector<double>& y,
                                 const std::vector<double>& weight,
                                 const GiStarCellsOptions& options) {
  options.validate();
  check_points(x, y, weight);
  const auto n_cells = static_cast<std::size_t>(grid.cell_count());
  if (mask && (!(mask->grid == grid) || mask->inside.size() != n_cells))
    throw InvalidArgument("Gi* cells: the study-area mask does not match the grid");

  const Units units = Units::squares(grid, mask);
  GiStarUnitsOptions o;
  o.distance_band_m = options.knn == 0 ? options.distance_band_m : 0;
  o.knn = options.knn;
  o.fdr = options.fdr;
  static_cast<LocalStatisticOptions&>(o) = options;
  o.contiguity = options.lisa_contiguity;
  GiStarAnalysis a = analyse_gistar(units, x, y, weight, o);

  // Per unit -> per cell (nothing to move when every cell is a unit).
  const bool every_cell = units.size() == n_cells;
  const auto on_grid = [&](auto& values, auto outside) {
    using T = typename std::decay_t<decltype(values)>::value_type;
    if (every_cell) return std::move(values);
    std::vector<T> out(n_cells, static_cast<T>(outside));
    for (std::size_t k = 0; k < values.size(); ++k)
      out[static_cast<std::size_t>(units.cell(k))] = values[k];
    return out;
  };
  GiStarCells out;
  out.study_cells = static_cast<std::int64_t>(units.size());
  out.counted_weight = a.counts.counted_weight;
  out.uncounted_weight = a.counts.uncounted_weight;
  out.counts = units.square_raster(std::move(a.counts.values));
  out.gi.z = on_grid(a.stats.gi.z, kNaN);
  out.gi.p = on_grid(a.stats.gi.p, kNaN);
  out.gi.bin = on_grid(a.stats.gi.bin, 0);
  out.gi.n_neighbors = on_grid(a.stats.gi.n_neighbors, 0);
  // Each local statistic's columns, as computed (empty when not asked for).
  static_cast<LocalStatisticResults&>(out) = std::move(a.stats);
  if (!every_cell)
    out.for_each_column([&](auto& column, auto outside) {
      if (!column.empty()) column = on_grid(column, outside);
    });
  return out;
}

GiStarClusters gistar_clusters(const GiStarCells& cells, int level, bool cold,
                               Connectivity connectivity, const std::vector<double>& x,
                               const std::vector<double>& y, const std::vector<double>& weight) {
  Raster z(cells.counts.grid);
  z.values = cells.gi.z;
  // Study-area cell numbers: the cell index itself when every cell is in the study area.
  std::vector<std::int32_t> unit;
  if (cells.study_cells != cells.counts.grid.cell_count()) {
    unit.assign(cells.counts.values.size(), -1);
    std::int32_t next = 0;
    for (std::size_t i = 0; i < unit.size(); ++i)
      if (!std::isnan(cells.counts.values[i])) unit[i] = next++;
  }
  GiStarClusterOptions options;
  options.level = level;
  options.cold = cold;
  options.connectivity = connectivity;
  return square_gistar_clusters(z, cells.gi.bin, cells.study_cells, cells.counted_weight, x, y,
                                weight, options, [&](std::int64_t cell) {
                                  return unit.empty() ? static_cast<std::int32_t>(cell)
                                                      : unit[static_cast<std::size_t>(cell)];
                                });
}

}  // namespace hotspots
