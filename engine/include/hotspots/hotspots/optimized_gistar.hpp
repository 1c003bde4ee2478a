// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "hotspots/core/geometry.hpp"
#include "hotspots/hotspots/gistar_units.hpp"
#include "hotspots/stats/incremental_autocorrelation.hpp"
#include "hotspots/units/grid_policy.hpp"
#include "hotspots/units/units.hpp"

namespace hotspots {

// `gistar --optimized`: the settings of ArcGIS Optimized Hot Spot Analysis (incident points,
// COUNT_INCIDENTS_WITHIN_FISHNET_POLYGONS) decided from the incidents, every decision kept with
// its figures so that an analyst can defend the scale. The Gi* itself is analyse_gistar() on
// the units and options this returns.

/// Options of plan_optimized_gistar(): ArcGIS's defaults.
struct OptimizedGiStarOptions {
  /// Incremental Spatial Autocorrelation over the cell centres (10 bands, outliers at 3 SD,
  /// peaks above z 1.65).
  IncrementalAutocorrelationOptions isa;
  /// Fewest incidents: ArcGIS asks 30 with a boundary and twice that (60) without.
  std::int64_t min_incidents_bounded = 30;
  std::int64_t min_incidents_unbounded = 60;
  /// Fewest cells after aggregation (ArcGIS: 30).
  std::int64_t min_cells = 30;

  /// Throws InvalidArgument naming the field (isa.*; the minimums >= 4, since Moran's I's
  /// variance needs 4 features).
  void validate() const;
};

/// Where the Gi* distance band came from.
enum class OptimizedBandSource { first_peak, knn_fallback };

/// Every automatic decision of the optimized analysis, with its figures.
struct OptimizedGiStarPlan {
  std::int64_t incidents = 0;  ///< incident points given
  /// The cell size: the nearest-neighbour rule over the distinct incident locations,
  /// locational outliers removed (street_scale(): 2 · max(mean, median)).
  StreetScale scale;
  /// The kept cells of the fishnet (square Units of scale.cell_size_m): with a study area, every
  /// cell whose centre lies inside it (zeros included, as ArcGIS keeps the cells within its
  /// bounding polygons); without, only the cells holding at least one incident (ArcGIS removes
  /// the empty cells when no bounding polygons are given).
  Units units;
  bool bounded = false;
  std::int64_t grid_cells = 0;     ///< cells of the fishnet before keeping
  std::int64_t empty_dropped = 0;  ///< empty cells left out (unbounded only)
  std::vector<double> counts;      ///< incidents per kept cell (the ISA values)
  IncrementalAutocorrelation isa;  ///< Moran's I of the counts over the bands
  OptimizedBandSource source = OptimizedBandSource::first_peak;
  KnnDistance knn;             ///< filled when source is knn_fallback
  double distance_band_m = 0;  ///< the Gi* band chosen

  /// The Gi* options of the optimized run: this band, FDR on, local statistics as given.
  [[nodiscard]] GiStarUnitsOptions gistar_options(const LocalStatisticOptions& local) const;
};

/// Plans the optimized hot-spot analysis of incident points (x, y in a projected CRS, metres;
/// weight empty = 1 each, else Σ weight per cell), ArcGIS Optimized Hot Spot Analysis's rules:
///  1. cell size by street_scale() (nearest-neighbour rule, outliers at mean + 3 SD removed);
///  2. a fishnet of that size over the study area (when not empty; snapped_grid) or the
///     incidents (grid_over_points); cells kept as OptimizedGiStarPlan::units says;
///  3. incremental_autocorrelation() of the incidents per kept cell at the kept cells' centres;
///  4. the distance band: the first peak of z (> isa.peak_z_min); without a peak, ArcGIS's
///     fallback knn_fallback_distance() over the cell centres (mean distance to the k-th
///     nearest, k = 5 % of the cells within 3..30, at most one standard distance).
/// Throws InvalidArgument for bad options, InputError-free Error with the figures when there
/// are too few incidents or cells, or the counts do not vary; and what the steps throw.
/// Cost: street_scale + a count over the fishnet + the ISA (see there).
[[nodiscard]] OptimizedGiStarPlan plan_optimized_gistar(std::span<const double> x,
                                                        std::span<const double> y,
                                                        std::span<const double> weight,
                                                        const MultiPolygon& study_area,
                                                        const OptimizedGiStarOptions& options = {});

/// The decisions as lines for stderr, in ArcGIS's order (incidents, outliers, cell size, cells,
/// the Moran's I series with its peak, the band, FDR).
[[nodiscard]] std::vector<std::string> describe(const OptimizedGiStarPlan& plan);

/// The decisions as KEY=value metadata (OPTIMIZED_* keys) for the GeoTIFF and the manifest.
[[nodiscard]] std::vector<std::pair<std::string, std::string>> optimized_metadata(
    const OptimizedGiStarPlan& plan);

/// The Moran's I series as CSV text, one row per distance band, ArcGIS Incremental Spatial
/// Autocorrelation's output-table fields: Distance (m), MoransI, ExpectedI, Variance, z_score,
/// p_value, then no_neighbours (features left out of n) and peak ("first", "max", "first max"
/// or empty). Full precision (17 significant digits), "\n" line ends, no BOM (a data table for
/// scripts, like --cells .csv).
[[nodiscard]] std::string isa_table_csv(const IncrementalAutocorrelation& isa);

/// Writes isa_table_csv() to `path` atomically. Throws IoError (exists without overwrite,
/// cannot write).
void write_isa_table(const std::string& path, const IncrementalAutocorrelation& isa,
                     bool overwrite);

}  // namespace hotspots
