// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "hotspots/core/grid.hpp"
#include "hotspots/hotspots/cell_regions.hpp"
#include "hotspots/hotspots/gistar_units.hpp"
#include "hotspots/hotspots/local_statistics/local_statistic_list.hpp"
#include "hotspots/stats/gistar.hpp"
#include "hotspots/stats/local_moran.hpp"

namespace hotspots {

/// Options of compute_gistar_cells(). Either a distance band or k nearest neighbours. The local
/// statistics' options (LocalStatisticList: permutations, seed, lisa_alpha) are inherited.
struct GiStarCellsOptions : LocalStatisticOptions {
  /// Fixed distance band between cell centres, metres (used when knn == 0). See gistar_grid().
  double distance_band_m = 0;
  /// > 0: the k nearest study-area cell centres instead of the band (ties all included).
  int knn = 0;
  /// Bins from the False Discovery Rate correction (fdr_bins) instead of the raw p-values.
  bool fdr = false;
  /// Contiguity of local Moran's I (queen: the 8 touching cells; rook: the 4 sharing an edge).
  Contiguity lisa_contiguity = Contiguity::queen;

  /// Throws InvalidArgument naming the field: exactly one of distance_band_m > 0 (finite) and
  /// knn > 0; permutations >= 0; lisa_alpha in (0, 1).
  void validate() const;
};

/// Per-cell results of compute_gistar_cells(), every vector row-major over the grid; the local
/// statistics' columns (LocalStatisticList: lisa_i, lisa_p, lisa_cluster) are inherited, NaN / 0
/// outside the study area, EMPTY when a statistic was not asked for (local Moran's I with
/// permutations == 0, which saves 20 bytes per cell).
struct GiStarCells : LocalStatisticResults {
  /// Σ weight of the incidents per cell (a plain count when every weight is 1); NaN outside the
  /// study area.
  Raster counts;
  /// Gi* per cell; `bin` is FDR-corrected when GiStarCellsOptions::fdr (z and p never are). A
  /// study-area cell with no other study-area cell in its band is an island: z = p = NaN, bin 0
  /// (as analyse_gistar on every unit shape).
  GiStarResult gi;
  /// Cells in the study area (those that enter Gi*).
  std::int64_t study_cells = 0;
  /// Σ weight counted in study-area cells, and Σ weight of incidents that fell in a cell whose
  /// centre is outside the study area or off the grid (not counted).
  double counted_weight = 0;
  double uncounted_weight = 0;
};

/// Gi* hot-spot analysis of incidents aggregated to square cells, as ArcGIS Hot Spot Analysis on
/// a fishnet of counts (Ord & Getis 1995), plus local Moran's I (Anselin 1995): analyse_gistar()
/// on Units::squares(grid, mask), its per-unit results laid out on the grid (for the pack of
/// `hotspots analyse`, which writes rasters):
///  1. incidents are summed per cell (bin_points); cells outside `mask` (when given) are outside
///     the study area — excluded, not zeros;
///  2. Gi* over the study-area cells with binary weights, self included: gistar_grid() for the
///     distance band, or gistar() on knn_neighbours() of the study-area cell centres;
///  3. FDR bins (fdr_bins, Benjamini & Hochberg 1995) when asked;
///  4. local Moran's I on grid_contiguity_neighbours() with conditional permutations
///     (local_moran, lisa_clusters), unless permutations == 0.
/// x, y in the grid's CRS (metres); weight empty (all 1) or one per point.
/// Throws InvalidArgument from options.validate(), if the mask does not match the grid, sizes
/// differ, fewer than two study-area cells exist, or k is not below the number of study-area
/// cells; and whatever the steps above throw.
/// Cost: O(points + cells · (2K + 1)) for the band (K = band / cell size), O(cells · k log) for
/// knn, plus O(permutations · Σ|N_i|) for local Moran's I (the dominant term at 999 permutations).
/// Deterministic for any number of threads.
[[nodiscard]] GiStarCells compute_gistar_cells(const GridSpec& grid, const CellMask* mask,
                                               const std::vector<double>& x,
                                               const std::vector<double>& y,
                                               const std::vector<double>& weight,
                                               const GiStarCellsOptions& options);

/// Gi* clusters of compute_gistar_cells() results, as gistar_clusters() on square Units: the
/// connected regions of cells with gi.bin >= level (hot) or, with `cold`, gi.bin <= −level
/// (cold), outlined and summarised by summarise_hot_areas() with the z-score as the cell value.
/// Members are study-area cell numbers (row-major among the study-area cells; the cell index
/// itself when every cell is in the study area). level is 1, 2 or 3 (90, 95, 99 % confidence);
/// the incidents (x, y, weight) are those the cells were counted from. Throws InvalidArgument
/// for another level. Cost: O(points + cells).
[[nodiscard]] GiStarClusters gistar_clusters(const GiStarCells& cells, int level, bool cold,
                                             Connectivity connectivity,
                                             const std::vector<double>& x,
                                             const std::vector<double>& y,
                                             const std::vector<double>& weight);

}  // namespace hotspots
