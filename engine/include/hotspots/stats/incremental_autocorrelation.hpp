// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "hotspots/stats/gistar.hpp"

namespace hotspots {

// Global Moran's I and ArcGIS's Incremental Spatial Autocorrelation (ISA): the statistic measured
// over a series of distance bands to find the distance at which clustering peaks, the scale
// Optimized Hot Spot Analysis hands to Gi* (hotspots/optimized_gistar.hpp).

/// Global Moran's I of one set of values and weights, with its expectation, variance, z and p.
struct GlobalMoran {
  double i = 0;           ///< Moran's I
  double expected_i = 0;  ///< E[I] = −1 / (n − 1)
  double variance = 0;    ///< Var[I] under randomisation (Cliff & Ord 1981)
  double z = 0;           ///< (I − E[I]) / sqrt(Var[I]); NaN when Var[I] <= 0
  double p = 0;           ///< two-sided normal p of z; NaN with z
  std::int64_t n = 0;     ///< features with at least one neighbour (the n of every formula)
  std::int64_t no_neighbours = 0;  ///< features without any (left out of n)
};

/// Global Moran's I (Moran 1950; Cliff & Ord 1981) with ROW-STANDARDISED weights (w_ij = 1/k_i
/// for the k_i neighbours j of i), the default of ArcGIS Incremental Spatial Autocorrelation and
/// spdep `nb2listw(style = "W")`:
///
///   z_i = x_i − x̄ (mean over ALL values),  I = (n / S0) · Σ_i Σ_j w_ij z_i z_j / Σ_i z_i²,
///   E[I] = −1/(n − 1),  S0 = Σ_ij w_ij,  S1 = ½ Σ_ij (w_ij + w_ji)²,  S2 = Σ_i (w_i· + w_·i)²,
///   b2 = n Σ z_i⁴ / (Σ z_i²)²,
///   E[I²] = [n((n² − 3n + 3) S1 − n S2 + 3 S0²) − b2((n² − n) S1 − 2n S2 + 6 S0²)]
///           / ((n − 1)(n − 2)(n − 3) S0²),   Var[I] = E[I²] − E[I]²,
///
/// the randomisation variance that ArcGIS Spatial Autocorrelation (Global Moran's I) and its
/// incremental version report and spdep `moran.test(randomisation = TRUE)` computes. n counts
/// the features with at least one neighbour (ArcGIS; spdep `adjust.n = TRUE`): a feature
/// without neighbours adds nothing to S0, S1, S2 or the cross-product but its value still counts
/// in x̄ and Σz². One difference with spdep when such features exist: ArcGIS (and this function)
/// take b2 with that n, spdep's kurtosis with the number of all values.
/// Lists need not be symmetric (w_ji is looked up; lists sorted ascending as the builders
/// return them are searched in O(log)).
/// Throws InvalidArgument if sizes differ, a value is not finite, a list is invalid
/// (Neighbours::validate), fewer than 4 features have neighbours (the variance divides by
/// n − 3), or the values do not vary. Cost: O(n + Σ|N_i| log|N_i|).
[[nodiscard]] GlobalMoran global_moran(std::span<const double> values,
                                       const Neighbours& neighbours);

/// Options of incremental_autocorrelation(); defaults are ArcGIS Optimized Hot Spot Analysis's.
struct IncrementalAutocorrelationOptions {
  int distances = 10;        ///< number of distance bands (ArcGIS: 10; 2..30)
  double start_m = 0;        ///< > 0: first distance band; 0: every non-outlier has a neighbour
  double increment_m = 0;    ///< > 0: step between bands; 0: mean nearest-neighbour distance
  double outlier_sd = 3;     ///< locational outliers: NN distance >= mean + outlier_sd · SD
  double peak_z_min = 1.65;  ///< a peak counts only when its z exceeds this (90 % confidence)

  /// Throws InvalidArgument naming the field: distances in 2..30, start_m and increment_m >= 0
  /// and finite, outlier_sd > 0 and finite, peak_z_min finite.
  void validate() const;
};

/// One distance band of the series.
struct MoranAtDistance {
  double distance_m = 0;
  GlobalMoran moran;
};

/// The series and every figure that chose it.
struct IncrementalAutocorrelation {
  std::int64_t features = 0;  ///< points analysed
  std::int64_t outliers = 0;  ///< locational outliers (by their nearest-neighbour distance)
  double outlier_cut_m = 0;   ///< mean + outlier_sd · SD of the NN distances; +inf when SD = 0
  double mean_nn_m = 0;       ///< mean nearest-neighbour distance, outliers left out
  double max_nn_m = 0;        ///< largest nearest-neighbour distance, outliers left out
  double standard_distance_m = 0;  ///< sqrt(mean squared distance from the mean centre)
  double start_m = 0;              ///< first distance (given, or max_nn_m · 1.0001)
  double increment_m = 0;          ///< step used (given or mean_nn_m; smaller when capped)
  bool start_given = false;
  bool increment_given = false;
  /// The default series would pass one standard distance: the bands were spread evenly from
  /// start_m to just below standard_distance_m instead (ArcGIS createCutoffsMaxDist).
  bool capped = false;
  std::vector<MoranAtDistance> series;
  int first_peak = -1;  ///< index into series of the first peak with z > peak_z_min, or −1
  int max_peak = -1;    ///< index of the highest such peak, or −1
};

/// ArcGIS's peak rule (SSUtilities.returnPeakIndices): index c is a peak when z[c + 1] < z[c],
/// z rose somewhere before (z[k + 1] > z[k] for some k < c) and z[c] > level. The last value is
/// never a peak (nothing follows it), nor is a value before any rise. NaN never rises, falls or
/// peaks. Returns {first peak, highest peak (the first of equals)}, −1 when there is none.
/// O(n).
struct MoranPeaks {
  int first = -1;
  int max = -1;
};
[[nodiscard]] MoranPeaks moran_peaks(std::span<const double> z, double level);

/// Standard distance of points: sqrt(Σ((x − x̄)² + (y − ȳ)²) / n), metres (ArcGIS
/// standardDistanceCutoff, unweighted). Throws InvalidArgument if sizes differ or no point. O(n).
[[nodiscard]] double standard_distance(std::span<const double> x, std::span<const double> y);

/// Incremental Spatial Autocorrelation (ArcGIS; Mitchell 2005, The ESRI Guide to GIS Analysis
/// vol. 2) of `values` at points (x, y), metres: global_moran() with row-standardised weights of
/// the fixed distance band d (j ≠ i is a neighbour of i when |ij| <= d, compared squared and
/// exactly; coincident points are neighbours) for
/// d = start + k · increment, k = 0 .. distances − 1, where by default
///  - each point's nearest-neighbour distance (nearest_neighbour_distances: to the nearest point
///    at another location) is computed; locational outliers are those with a distance
///    >= mean + outlier_sd · SD (mean and population SD over the non-zero distances, as
///    ArcGIS LocationInfo); when SD = 0 there are none;
///  - start = 1.0001 · the largest distance among the rest (every non-outlier has a neighbour;
///    the factor is ArcGIS's allowance for rounding), increment = their mean;
///  - when the last band would exceed one standard distance, the bands are start + k ·
///    (SD − start) / distances instead (they end one step below the standard distance), unless
///    start is already beyond it (then the series is left uncapped).
/// Given start_m/increment_m replace the defaults and are never capped. Peaks by moran_peaks.
/// Throws InvalidArgument for bad options, sizes that differ, fewer than 4 points, a
/// non-finite value or coordinate, and as global_moran() (values that do not vary) at the
/// first band where it cannot be computed. Cost: one neighbour search to the largest band
/// (bucketed, O(n + pairs)) and O(pairs · distances) for the sums; memory O(n · distances).
/// Deterministic (sequential sums in point order).
[[nodiscard]] IncrementalAutocorrelation incremental_autocorrelation(
    std::span<const double> values, std::span<const double> x, std::span<const double> y,
    const IncrementalAutocorrelationOptions& options = {});

/// ArcGIS Optimized Hot Spot Analysis's fallback when no peak is found (knnDecision): the mean
/// over the points of the distance to their k-th nearest other point, k = ⌊0.05 · n⌋ clamped to
/// 3..30, capped at one standard distance.
struct KnnDistance {
  int k = 0;
  double mean_m = 0;      ///< mean k-th nearest distance
  double distance_m = 0;  ///< min(mean_m, standard distance)
  bool capped = false;
};

/// KnnDistance of the points. Throws InvalidArgument if there are not more than k points or
/// the coordinates are unusable (as knn_neighbours). Cost: knn_neighbours' for k.
[[nodiscard]] KnnDistance knn_fallback_distance(const std::vector<double>& x,
                                                const std::vector<double>& y);

}  // namespace hotspots
