// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <vector>

#include "hotspots/core/geometry.hpp"

namespace hotspots {

/// How a study area is made from the incidents when no boundary is given.
struct DataStudyAreaOptions {
  /// Every kept location is at least this far inside the area (the KDE radius: the surface
  /// reaches that far). > 0.
  double buffer_m = 500.0;
  /// A distinct location is an outlier, dropped before the hull, when fewer than
  /// `min_neighbours` other distinct locations lie within `outlier_distance_m` of it (a
  /// geocoding error, a station far down a railway line, a force headquarters address).
  double outlier_distance_m = 5'000.0;
  int min_neighbours = 3;
  /// GEOSConcaveHull's ratio: 0 the most concave hull of the locations, 1 the convex hull.
  double concavity = 0.3;
  /// Throws InvalidArgument naming the bad field (buffer_m, outlier_distance_m,
  /// min_neighbours, concavity).
  void validate() const;
};

struct DataStudyArea {
  MultiPolygon area;                   ///< the buffered hull, in the incidents' CRS
  std::vector<std::uint8_t> inside;    ///< per incident: 0 when its location is an outlier
  std::int64_t outlier_locations = 0;  ///< distinct locations dropped
  std::int64_t outlier_incidents = 0;  ///< incidents at them
  std::int64_t locations = 0;          ///< distinct locations
};

/// A study area from the incidents themselves, for runs without a boundary: the concave hull
/// (GEOS 3.11 GEOSConcaveHull, Park & Oh 2012's edge-length ratio) of the distinct locations
/// that are not outliers, buffered by `buffer_m` (GEOSBuffer, 8 segments a quarter circle).
/// Coordinates in a projected CRS (metres). Outliers: see DataStudyAreaOptions; they are
/// counted and flagged in `inside` for the caller to reject (outside_study_area). Fewer than 3
/// kept locations make the buffer of those points (a hull needs 3). A real boundary is better:
/// the hull follows where crime was recorded, so places without a recorded crime at its edge
/// are outside, and a boundary's area (for rates, PAI) is not the hull's.
/// Throws InvalidArgument for bad options, Error when no location is kept (every one an
/// outlier) or GEOS fails. Cost O(n log n) for n incidents, plus GEOS's hull of the locations.
[[nodiscard]] DataStudyArea study_area_from_data(const std::vector<double>& x,
                                                 const std::vector<double>& y,
                                                 const DataStudyAreaOptions& options);

}  // namespace hotspots
