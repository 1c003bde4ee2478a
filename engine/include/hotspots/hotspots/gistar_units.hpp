// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <vector>

#include "hotspots/core/geometry.hpp"
#include "hotspots/stats/gistar.hpp"

namespace hotspots {

/// Options of compute_gistar_units(): Gi* neighbours by contiguity (default), a distance band
/// between unit centres, or k nearest centres.
struct GiStarUnitsOptions {
  /// > 0: Gi* neighbours are the units whose centres are within this distance (metres), compared
  /// as d <= distance_band_m · (1 + 1e-9) so exact lattice distances count as inside.
  double distance_band_m = 0;
  /// > 0: the k nearest unit centres (ties included). At most one of band and knn.
  int knn = 0;
  /// Bins from the False Discovery Rate correction (fdr_bins) instead of the raw p-values.
  bool fdr = false;
  /// Local Moran's I permutations; 0 skips local Moran's I (its vectors are then empty).
  int permutations = 999;
  std::uint64_t seed = 12345;
  /// Pseudo p-value at or below which a LISA quadrant is reported.
  double lisa_alpha = 0.05;

  /// Throws InvalidArgument naming the field: not both distance_band_m and knn; band positive
  /// and finite when given; knn >= 0; permutations >= 0; lisa_alpha in (0, 1).
  void validate() const;
};

/// Results per unit, in input order.
struct GiStarUnits {
  /// Gi* (bins FDR-corrected when asked). A unit without Gi* neighbours (an island) has z = p =
  /// NaN, bin 0 and n_neighbors 1 (itself): its Gi* would be its own standardised value, not a
  /// local statistic.
  GiStarResult gi;
  /// Local Moran's I on the contiguity neighbours; empty when permutations == 0.
  std::vector<double> lisa_i;
  std::vector<double> lisa_p;
  std::vector<int> lisa_cluster;
  /// Units without Gi* neighbours, ascending.
  std::vector<std::int32_t> islands;
};

/// Gi* hot-spot analysis on arbitrary units of analysis (hexagons, user zones): the values are
/// the incidents per unit; every unit is in the study area.
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

/// One Gi* cluster of units.
struct UnitCluster {
  int rank = 0;                       ///< 1-based, per type
  std::vector<std::int32_t> members;  ///< unit indices, ascending
  MultiPolygon outline;               ///< union of the members' polygons (GEOS)
  double incidents = 0;               ///< Σ values of the members
  double area_km2 = 0;                ///< Σ areas of the members
  double mean_z = 0;                  ///< mean Gi* z of the members
  double pai = 0;  ///< (incidents / all incidents) / (area / study area), Chainey et al. 2008
};

struct UnitClusters {
  std::vector<UnitCluster> hot;
  std::vector<UnitCluster> cold;
};

/// Connected components (over `adjacency`, which must be symmetric) of the units with
/// gi.bin >= level (hot) or, with `cold`, gi.bin <= −level, each dissolved into one outline
/// (dissolve(), GEOS UnaryUnion). Hot clusters rank by incidents (descending), then mean z
/// (descending), then their first member; cold clusters by units (descending), then mean z
/// (ascending), then their first member. Totals for the PAI are Σ values and Σ areas over all
/// units. Throws InvalidArgument if level is not 1..3 or sizes differ.
/// Cost: O(units + Σ|adjacency_i|) plus the unions.
[[nodiscard]] UnitClusters gistar_unit_clusters(const std::vector<double>& values,
                                                const GiStarResult& gi, const Neighbours& adjacency,
                                                const std::vector<MultiPolygon>& polygons,
                                                const std::vector<double>& area_m2, int level,
                                                bool cold);

}  // namespace hotspots
