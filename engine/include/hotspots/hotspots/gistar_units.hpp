// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "hotspots/core/geometry.hpp"
#include "hotspots/core/progress.hpp"
#include "hotspots/hotspots/cell_regions.hpp"
#include "hotspots/hotspots/local_statistics/local_statistic_list.hpp"
#include "hotspots/stats/gistar.hpp"
#include "hotspots/stats/local_moran.hpp"
#include "hotspots/units/units.hpp"

namespace hotspots {

// The Gi* analysis over Units (square cells, hexagons or zones alike): incidents counted per
// unit, Gi* (Ord & Getis 1995) with FDR bins, local Moran's I (Anselin 1995), and Gi* clusters.
// One pipeline; the neighbour strategy is what differs by unit shape (see analyse_gistar).

/// Options of the Gi* analysis: neighbours by a distance band between unit centres, by the k
/// nearest centres, or (neither given) the grid policy's default band for grids and contiguity
/// for zones. The local statistics' options (LocalStatisticList: local Moran's permutations,
/// seed, lisa_alpha) are inherited.
struct GiStarUnitsOptions : LocalStatisticOptions {
  /// > 0: Gi* neighbours are the units whose centres are within this distance (metres), compared
  /// as d <= distance_band_m · (1 + 1e-9) so exact lattice distances count as inside.
  double distance_band_m = 0;
  /// > 0: the k nearest unit centres (ties included). At most one of band and knn.
  int knn = 0;
  /// Bins from the False Discovery Rate correction (fdr_bins) instead of the raw p-values.
  bool fdr = false;
  /// Contiguity of local Moran's I on squares (queen: 8 touching cells; rook: 4) and of zones
  /// (Gi*'s default neighbours, local Moran's I and clusters; see polygon_contiguity).
  /// Hexagons always use their 6 edge neighbours.
  Contiguity contiguity = Contiguity::queen;
  /// Zones: gaps up to this many metres between boundaries still touch.
  double contiguity_snap_m = 0.001;

  /// Throws InvalidArgument naming the field: not both distance_band_m and knn; band positive
  /// and finite when given; knn >= 0; contiguity_snap_m >= 0 and finite; then each local
  /// statistic's options (permutations >= 0, lisa_alpha in (0, 1)).
  void validate() const;
};

/// The checks every neighbour choice over Units shares (Gi*, emerging hot spots): a band positive
/// and finite when given (0 = none), knn >= 0, not both, contiguity_snap_m >= 0 and finite.
/// Throws InvalidArgument naming the field.
void validate_unit_neighbours(double distance_band_m, int knn, double contiguity_snap_m);

/// Gi* and the local statistics (LocalStatisticList: lisa_i, lisa_p, lisa_cluster of local
/// Moran's I) per unit, in unit order; a statistic's columns are empty when it was not asked for.
struct GiStarUnits : LocalStatisticResults {
  /// Gi* (bins FDR-corrected when asked). A unit without Gi* neighbours (an island: squares,
  /// hexagons and zones alike) has z = p = NaN, bin 0 and n_neighbors 1 (itself): its Gi* would
  /// be its own standardised value, not a local statistic.
  GiStarResult gi;
  /// Units without Gi* neighbours, ascending.
  std::vector<std::int32_t> islands;
};

/// Gi* on given neighbour lists: the values are the incidents per unit; every unit is in the
/// study area.
///  1. Gi* (gistar(), Ord & Getis 1995; binary weights, self included) with neighbours from
///     `contiguity`, or distance_band_neighbours()/knn_neighbours() of the centres (cx, cy);
///  2. FDR bins when asked (fdr_bins);
///  3. local Moran's I (local_moran, lisa_clusters; Anselin 1995) on `contiguity`.
/// Throws InvalidArgument from options.validate(), if sizes differ, fewer than two units, k is
/// not below the number of units, or the lists are invalid; and what the steps throw.
/// Cost: O(units + Σ|N_i|) for Gi* (plus O(n log n) to build band/knn lists), plus
/// O(permutations · Σ|contiguity_i|) for local Moran's I. Deterministic for any thread count.
/// gi_neighbours, when given, are the Gi* neighbours to use instead (e.g. hex_band_neighbours(),
/// which builds a lattice band faster than the R-tree); options must then set neither band nor
/// knn (InvalidArgument otherwise).
[[nodiscard]] GiStarUnits compute_gistar_units(const std::vector<double>& values,
                                               const std::vector<double>& cx,
                                               const std::vector<double>& cy,
                                               const Neighbours& contiguity,
                                               const GiStarUnitsOptions& options,
                                               const Neighbours* gi_neighbours = nullptr);

/// Everything the Gi* analysis of incidents over units found.
struct GiStarAnalysis {
  UnitCounts counts;
  GiStarUnits stats;
  /// The units' contiguity (Units::contiguity), used by local Moran's I and by the clusters of
  /// hexagons and zones; empty for squares without local Moran's I.
  Neighbours contiguity;
  /// The distance band used, metres (0 for knn or contiguity), and whether it was the grid
  /// policy's default_band_m().
  double distance_band_m = 0;
  bool band_default = false;
  /// k of the k nearest neighbours used (0 for a band or contiguity).
  int knn = 0;
};

/// The Gi* analysis of incidents (x, y in the units' CRS, metres; weight empty = 1 each):
///  1. count_incidents() per unit, then analyse_gistar_values() on the counts:
///  2. Gi* neighbours: options' band or k nearest centres; neither: default_band_m() of the cell
///     size on grids, contiguity on zones. Squares with a band use gistar_grid()'s lattice stencil
///     (prefix sums over the fishnet: O(cells · (2K + 1)) and no lists; a cell with no neighbour
///     in the study area is an island, as below); hexagons with a band use
///     hex_band_neighbours() (a lattice stencil); everything else gistar() on the lists of
///     Units::distance_band / nearest / contiguity, with the island rule of GiStarUnits;
///  3. FDR bins when asked; 4. local Moran's I on Units::contiguity unless permutations == 0.
/// The results equal compute_gistar_units() on the same lists, and for squares gistar_grid().
/// Throws InvalidArgument from options.validate(), naming distance_band_m when a grid's band is
/// shorter than its cell size (no unit would have a neighbour), naming knn when k is not below
/// the number of units, if fewer than two units exist or sizes differ; and what the steps throw.
/// Cost: the sum of the steps; local Moran's I dominates at 999 permutations. Deterministic for
/// any thread count. `progress` hears the phases "counting incidents", "contiguity" (when
/// needed), "neighbours" (band or k-nearest lists), "Gi*" and "local Moran's I" (when asked).
[[nodiscard]] GiStarAnalysis analyse_gistar(const Units& units, const std::vector<double>& x,
                                            const std::vector<double>& y,
                                            const std::vector<double>& weight,
                                            const GiStarUnitsOptions& options,
                                            const Progress& progress = {});

/// The same analysis on given values per unit (in unit order) instead of counted incidents: a
/// rate, a residual, a change; negative values allowed. analyse_gistar() counts the incidents
/// and calls this; steps 2-4 and the results are as there, with counts.values = `values`,
/// counts.counted_weight = Σ values and counts.uncounted_weight = 0. Throws InvalidArgument as
/// analyse_gistar(), and naming the unit whose value is not finite or if the sizes differ.
[[nodiscard]] GiStarAnalysis analyse_gistar_values(const Units& units,
                                                   const std::vector<double>& values,
                                                   const GiStarUnitsOptions& options,
                                                   const Progress& progress = {});

/// One Gi* cluster: connected units of one sign, with the figures analysts rank by.
struct GiStarCluster {
  int rank = 0;                       ///< 1-based, per type
  std::vector<std::int32_t> members;  ///< unit indices, ascending
  MultiPolygon outline;  ///< squares: the exact cell-edge outline; else the union (GEOS)
  double incidents = 0;  ///< Σ weight of the members' incidents
  double area_km2 = 0;   ///< Σ areas of the members
  double mean_z = 0;     ///< mean Gi* z of the members
  double pai = 0;        ///< (incidents / all incidents) / (area / study area), Chainey et al. 2008
};

/// Hot clusters (gi_bin >= level) and, when asked, cold ones (gi_bin <= −level).
struct GiStarClusters {
  std::vector<GiStarCluster> hot;
  std::vector<GiStarCluster> cold;
};

/// Connected components (over `adjacency`, which must be symmetric) of the units with
/// gi.bin >= level (hot) or, with `cold`, gi.bin <= −level, each dissolved into one outline
/// (dissolve(), GEOS UnaryUnion). Hot clusters rank by incidents (descending), then mean z
/// (descending), then their first member; cold clusters by units (descending), then mean z
/// (ascending), then their first member. Totals for the PAI are Σ values and Σ areas over all
/// units. Throws InvalidArgument if level is not 1..3 or sizes differ.
/// Cost: O(units + Σ|adjacency_i|) plus the unions.
[[nodiscard]] GiStarClusters gistar_unit_clusters(const std::vector<double>& values,
                                                  const GiStarResult& gi,
                                                  const Neighbours& adjacency,
                                                  const std::vector<MultiPolygon>& polygons,
                                                  const std::vector<double>& area_m2, int level,
                                                  bool cold);

/// Options of gistar_clusters().
struct GiStarClusterOptions {
  /// 1, 2 or 3: gi_bin >= level (90, 95, 99 % confidence).
  int level = 2;
  /// Also the cold clusters.
  bool cold = false;
  /// Squares: cells that merge (queen: edges or corners; rook: edges). Hexagons merge across
  /// edges, zones by the analysis' contiguity.
  Connectivity connectivity = Connectivity::queen;
};

/// The Gi* clusters of an analysis. Squares: label_regions() by `connectivity` and
/// summarise_hot_areas() (exact cell-edge outlines; hot ranked by incidents, then the peak z,
/// then position; cold by cells, then the lowest mean z, then position; incidents re-counted
/// from the points x, y, weight, PAI over the study-area cells). Hexagons and zones:
/// gistar_unit_clusters() over the analysis' contiguity. Throws InvalidArgument if the level is
/// not 1..3 or the analysis does not belong to these units. Cost: O(points + units) plus the
/// outlines.
[[nodiscard]] GiStarClusters gistar_clusters(const Units& units, const GiStarAnalysis& analysis,
                                             const std::vector<double>& x,
                                             const std::vector<double>& y,
                                             const std::vector<double>& weight,
                                             const GiStarClusterOptions& options);

/// The clusters of square cells from grid-shaped results (one value per cell of `z`'s grid,
/// NaN z and bin 0 outside the study area), as gistar_clusters() ranks them; members are cell
/// indices mapped through `unit_of_cell`. For hotspots/gistar_cells; prefer gistar_clusters().
[[nodiscard]] GiStarClusters square_gistar_clusters(
    const Raster& z, const std::vector<int>& bin, std::int64_t study_cells, double counted_weight,
    const std::vector<double>& x, const std::vector<double>& y, const std::vector<double>& weight,
    const GiStarClusterOptions& options,
    const std::function<std::int32_t(std::int64_t)>& unit_of_cell);

}  // namespace hotspots
