// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

#include "hotspots/io/crs.hpp"
#include "hotspots/io/incidents.hpp"
#include "hotspots/io/zones.hpp"

namespace hotspots {

/// The first stage every command shares: read → choose the analysis CRS → read boundaries →
/// reproject → clip to the study area.
struct StudyOptions {
  ReadOptions read;
  std::vector<std::string> boundary_paths;  ///< their union is the study area (none: no clip)
  ZoneReadOptions boundary;
  std::string dst_crs;  ///< empty: EPSG:27700 in Great Britain, else the UTM zone (see crs.hpp)
  /// Holes in the dissolved study area smaller than this are closed (slivers between zones).
  double min_hole_area_m2 = 10'000.0;
  /// Inputs without one located incident (a header-only file) give an empty Study (no analysis
  /// CRS, boundaries not read) instead of an Error; for `info`, which reports the zeros.
  bool allow_no_incidents = false;
};

struct Study {
  ReadResult data;  ///< incidents in the analysis CRS, clipped to the study area
  Crs analysis_crs;
  std::string crs_reason;  ///< why this CRS: "--t_srs", "data lie in Great Britain", "UTM zone"
  Extent source_extent;    ///< extent of the used incidents in their source CRS
  Crs source_crs;
  std::vector<ZoneLayer> boundaries;
  MultiPolygon study_area;  ///< empty when no boundary was given
  std::int64_t holes_closed = 0;
  /// With boundaries: for every incident read with coordinates in range, the feature of each
  /// boundary layer holding it (−1 outside), before the clip removed the outside ones.
  std::vector<std::vector<std::int32_t>> feature_of_incident;
  /// Incidents located before the clip (the population feature_of_incident refers to).
  std::int64_t located_before_clip = 0;
};

/// Runs the shared first stage. Throws as read_incidents, read_zones and the CRS functions do;
/// CrsError when the chosen analysis CRS is geographic; Error when no incident has coordinates
/// (the message gives the row accounting) unless allow_no_incidents. Warnings of the boundary
/// readers are appended to data.warnings.
[[nodiscard]] Study prepare_study(const std::vector<std::string>& inputs,
                                  const StudyOptions& options);

}  // namespace hotspots
