// SPDX-License-Identifier: MIT
#pragma once

// The files of patrol places (`hotspots patrol` and a pack's patrol.csv / patrol.geojson): their
// schemas and writers, so that the command and the pack write the same columns.

#include <string>
#include <string_view>
#include <vector>

#include "hotspots/io/crs.hpp"
#include "hotspots/io/vector_io.hpp"
#include "hotspots/tables/patrol_places.hpp"

namespace hotspots {

/// The columns of patrol.csv, in order: patrol_id, rank, centre_x, centre_y, lon, lat, radius_m,
/// area_km2, incidents, per_month, share, pai, map_points, top_locations, busiest_point_share,
/// recording_location, recording_reason, crime_types, profile, when, shape (cells/circle), cells
/// (their number; 0 for a circle).
[[nodiscard]] std::vector<std::string> patrol_csv_columns();

/// patrol.csv as text (one row per place in rank order; lists "name (n); name (n)"), centres in
/// `crs` and in lon/lat. Throws CrsError when `crs` cannot be transformed to WGS 84.
[[nodiscard]] std::string patrol_places_csv(const PatrolPlaces& places, const Crs& crs);

/// The fields of the patrol GeoJSON layer: patrol_id, rank, incidents, per_month, share, pai,
/// radius_m, area_km2, centre_x, centre_y, map_points, top_locations, recording_location (0/1),
/// recording_reason, when, shape, cells (patrol_cells_text).
[[nodiscard]] std::vector<FieldDef> patrol_place_fields();

/// A place's cells as "x y size;x y size" (south-west corners and side, metres, analysis CRS;
/// busiest first), "" for a circle: lets `batch --gather` redraw the places from the GeoJSON.
[[nodiscard]] std::string patrol_cells_text(const PatrolPlace& place);

/// The cells of patrol_cells_text() back. Throws InvalidArgument naming the bad item.
[[nodiscard]] std::vector<Extent> parse_patrol_cells_text(std::string_view text);

/// Writes the places' outlines (patrol_place_outline) with patrol_place_fields(),
/// layer "patrol" (format by extension as write_polygons: RFC 7946 GeoJSON in lon/lat).
/// Throws IoError naming the file.
void write_patrol_places(const std::string& path, const PatrolPlaces& places, const Crs& crs,
                         bool overwrite);

/// Writes patrol_places_csv() to `path` atomically. Throws IoError naming the file.
void write_patrol_csv(const std::string& path, const PatrolPlaces& places, const Crs& crs,
                      bool overwrite);

/// "name (n); name (n)" with n written as an integer when whole.
[[nodiscard]] std::string named_counts_text(const std::vector<NamedCount>& counts);

}  // namespace hotspots
