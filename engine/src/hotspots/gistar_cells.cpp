// SPDX-License-Identifier: MIT
#include "hotspots/hotspots/gistar_cells.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

#include "hotspots/core/binning.hpp"
#include "hotspots/core/error.hpp"
#include "hotspots/stats/fdr.hpp"

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

GridSpec grid_over_points(const std::vector<double>& x, const std::vector<double>& y,
                          double cell_size_m) {
  check_points(x, y, {});
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

void GiStarCellsOptions::validate() const {
  const bool band = distance_band_m != 0;
  if (band && knn != 0) throw InvalidArgument("give either distance_band_m or knn, not both");
  if (!band && knn == 0) throw InvalidArgument("give distance_band_m or knn");
  if (band && !(distance_band_m > 0 && std::isfinite(distance_band_m)))
    throw InvalidArgument(fmt::format("distance_band_m must be a positive number of metres, got {}",
                                      distance_band_m));
  if (knn < 0) throw InvalidArgument(fmt::format("knn must be at least 1, got {}", knn));
  if (permutations < 0)
    throw InvalidArgument(
        fmt::format("permutations must be 0 (skip local Moran's I) or more, got {}", permutations));
  if (!(lisa_alpha > 0 && lisa_alpha < 1))
    throw InvalidArgument(fmt::format("lisa_alpha must be in (0, 1), got {}", lisa_alpha));
}

std::string_view lisa_type_name(int quadrant) {
  switch (quadrant) {
    case 1:
      return "HH";
    case 2:
      return "LH";
    case 3:
      return "LL";
    case 4:
      return "HL";
    default:
      return "";
  }
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

  GiStarCells out;
  out.counts = bin_points(grid, x, y, weight, mask);
  double total = 0;
  for (std::size_t i = 0; i < x.size(); ++i) total += weight.empty() ? 1.0 : weight[i];
  for (double v : out.counts.values)
    if (!std::isnan(v)) {
      out.counted_weight += v;
      ++out.study_cells;
    }
  out.uncounted_weight = total - out.counted_weight;
  if (out.study_cells < 2)
    throw InvalidArgument(
        fmt::format("Gi* needs at least 2 cells in the study area, got {}; use a smaller cell size",
                    out.study_cells));

  if (options.knn == 0) {
    out.gi = gistar_grid(out.counts, options.distance_band_m);
  } else {
    if (static_cast<std::int64_t>(options.knn) >= out.study_cells)
      throw InvalidArgument(fmt::format("knn must be below the {} cells of the study area, got {}",
                                        out.study_cells, options.knn));
    // Study-area cells in row-major order (the locations of the generic statistic).
    std::vector<std::int64_t> inside;
    inside.reserve(static_cast<std::size_t>(out.study_cells));
    for (std::size_t i = 0; i < n_cells; ++i)
      if (!std::isnan(out.counts.values[i])) inside.push_back(static_cast<std::int64_t>(i));
    std::vector<double> xs(inside.size()), ys(inside.size()), values(inside.size());
    for (std::size_t k = 0; k < inside.size(); ++k) {
      xs[k] = grid.centre_x(inside[k] % grid.cols);
      ys[k] = grid.centre_y(inside[k] / grid.cols);
      values[k] = out.counts.values[static_cast<std::size_t>(inside[k])];
    }
    const GiStarResult local = gistar(values, knn_neighbours(xs, ys, options.knn));
    out.gi.z.assign(n_cells, kNaN);
    out.gi.p.assign(n_cells, kNaN);
    out.gi.bin.assign(n_cells, 0);
    out.gi.n_neighbors.assign(n_cells, 0);
    for (std::size_t k = 0; k < inside.size(); ++k) {
      const auto i = static_cast<std::size_t>(inside[k]);
      out.gi.z[i] = local.z[k];
      out.gi.p[i] = local.p[k];
      out.gi.bin[i] = local.bin[k];
      out.gi.n_neighbors[i] = local.n_neighbors[k];
    }
  }
  if (options.fdr) out.gi.bin = fdr_bins(out.gi.z, out.gi.p);

  if (options.permutations > 0) {
    out.lisa_i.assign(n_cells, kNaN);
    out.lisa_p.assign(n_cells, kNaN);
    out.lisa_cluster.assign(n_cells, 0);
    CellMask full;
    if (!mask) {
      full.grid = grid;
      full.inside.assign(n_cells, 1);
    }
    const GridNeighbours contiguity =
        grid_contiguity_neighbours(mask ? *mask : full, options.lisa_contiguity);
    std::vector<double> values(contiguity.cells.size());
    for (std::size_t k = 0; k < values.size(); ++k)
      values[k] = out.counts.values[static_cast<std::size_t>(contiguity.cells[k])];
    LocalMoranOptions lm;
    lm.permutations = options.permutations;
    lm.seed = options.seed;
    const LocalMoranResult moran = local_moran(values, contiguity.neighbours, lm);
    const std::vector<int> clusters = lisa_clusters(moran, options.lisa_alpha);
    for (std::size_t k = 0; k < values.size(); ++k) {
      const auto i = static_cast<std::size_t>(contiguity.cells[k]);
      out.lisa_i[i] = moran.n_neighbors[k] > 0 ? moran.local_i[k] : kNaN;
      out.lisa_p[i] = moran.p_sim[k];
      out.lisa_cluster[i] = clusters[k];
    }
  }
  return out;
}

GiStarClusters gistar_clusters(const GiStarCells& cells, int level, bool cold,
                               Connectivity connectivity, const std::vector<double>& x,
                               const std::vector<double>& y, const std::vector<double>& weight) {
  if (level < 1 || level > 3)
    throw InvalidArgument(
        fmt::format("cluster level must be 1, 2 or 3 (90, 95, 99 % confidence), got {}", level));
  const GridSpec& g = cells.counts.grid;
  Raster z(g);
  z.values = cells.gi.z;
  const auto summarise = [&](bool hot) {
    std::vector<std::uint8_t> selected(cells.gi.bin.size(), 0);
    for (std::size_t i = 0; i < selected.size(); ++i)
      selected[i] = hot ? cells.gi.bin[i] >= level : cells.gi.bin[i] <= -level;
    const CellRegions regions = label_regions(g, selected, connectivity);
    return summarise_hot_areas(z, regions, x, y, weight, cells.study_cells, cells.counted_weight);
  };
  GiStarClusters out;
  out.hot = summarise(true);
  if (cold) {
    out.cold = summarise(false);
    std::stable_sort(out.cold.begin(), out.cold.end(), [](const HotArea& a, const HotArea& b) {
      return std::make_tuple(-a.cells, a.mean_value, a.region) <
             std::make_tuple(-b.cells, b.mean_value, b.region);
    });
    for (std::size_t i = 0; i < out.cold.size(); ++i) out.cold[i].rank = static_cast<int>(i + 1);
  }
  return out;
}

}  // namespace hotspots
