// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace hotspots {

/// The nearest-neighbour figures of a set of incident locations (metres), as ArcGIS Optimized Hot
/// Spot Analysis computes them to choose its scale ("How Optimized Hot Spot Analysis works"):
/// over DISTINCT locations (coincident incidents are one location; police.uk snaps many onto
/// shared map points), the distance from each to its nearest other distinct location.
/// Locational outliers are the locations whose nearest-neighbour distance exceeds the mean by more
/// than 3 standard deviations (population SD); they are left out of every figure below.
struct NearestNeighbourScale {
  std::int64_t locations = 0;  ///< distinct locations
  std::int64_t outliers = 0;   ///< removed: distance > mean + 3·SD (over all distinct locations)
  double outlier_cut_m = 0;    ///< that mean + 3·SD
  double mean_m = 0;           ///< mean nearest-neighbour distance without the outliers
  double median_m = 0;         ///< its median (mean of the middle two for an even count)
  double max_m = 0;            ///< the largest kept distance: every kept location has a
                               ///< neighbour within it (ArcGIS's starting distance)
  /// The ArcGIS cell size rule: 2 · max(mean_m, median_m).
  [[nodiscard]] double cell_size_m() const { return 2.0 * (mean_m > median_m ? mean_m : median_m); }
};

/// Distance from each point to its nearest point at a different location (coincident points are
/// skipped), metres; +inf when every point shares one location. Exact (no approximation): points
/// sorted by x, each searched outwards until |dx| exceeds the best distance found.
/// Throws InvalidArgument if sizes differ or a coordinate is not finite.
/// Cost: O(n log n) sort plus the sweep, O(n·√n) for points spread evenly; O(n) memory.
[[nodiscard]] std::vector<double> nearest_neighbour_distances(std::span<const double> x,
                                                              std::span<const double> y);

/// The figures above for the distinct locations of (x, y). Throws InvalidArgument as
/// nearest_neighbour_distances and when there are fewer than 2 distinct locations.
/// Cost: as nearest_neighbour_distances over the distinct locations, plus O(n log n).
[[nodiscard]] NearestNeighbourScale nearest_neighbour_scale(std::span<const double> x,
                                                            std::span<const double> y);

}  // namespace hotspots
