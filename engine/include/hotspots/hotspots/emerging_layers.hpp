// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

#include "hotspots/core/geometry.hpp"
#include "hotspots/hotspots/emerging.hpp"
#include "hotspots/io/crs.hpp"
#include "hotspots/io/vector_io.hpp"
#include "hotspots/units/units.hpp"

namespace hotspots {

// The layers of an emerging hot spot analysis (hotspots/emerging) and their writers.

/// The fields of the units layer: unit_id, pattern (ArcGIS's PATTERN label), class (snake_case
/// key), category (ArcGIS's CATEGORY code, ehsa_category_code), count (Σ over the cube),
/// hot_steps and cold_steps (steps with gi_bin >= 1 / <= −1), then the Mann-Kendall trend of the
/// unit's Gi* z series (trend_tau: tau-b, trend_s, trend_z, trend_p) and of its count series
/// (count_tau, count_s, count_z, count_p).
[[nodiscard]] std::vector<FieldDef> emerging_unit_fields();

/// Writes the cube's units (EmergingResult::units, in that order) as polygons with
/// emerging_unit_fields(); the format follows the extension (write_polygons: .geojson, .gpkg,
/// .shp). Throws InvalidArgument if the result is not of these units, IoError when writing fails.
void write_emerging_units(const std::string& path, const Crs& crs, const Units& units,
                          const EmergingResult& result, const VectorWriteOptions& options);

/// Writes the bins in long form: `unit_id,step,count,gi_z,gi_p,gi_bin`, one row per unit and
/// step (units in cube order, steps earliest first), step as YYYY-MM of its first month, numbers
/// in their shortest round-trip form, NaN empty. Written under a temporary name and renamed.
void write_emerging_bins(const std::string& path, const Units& units, const EmergingResult& result,
                         bool overwrite);

/// Writes the sensitivity table: `time_step_months,time_lags,steps,units` and one column of unit
/// counts per class (ehsa_class_key order: no_pattern, new_hot_spot, ...), one row per
/// EmergingSensitivityRow.
void write_emerging_sensitivity(const std::string& path, const EmergingResult& result,
                                bool overwrite);

/// What the map and the folder show besides the result.
struct EmergingFolderOptions {
  std::string title;     ///< map title, e.g. "Anti-social behaviour: emerging hot spots"
  std::string subtitle;  ///< e.g. "250 m hexagons · monthly, 35 steps · 1 time lag"
  std::string attribution;
  /// Outlines drawn over the units (the study-area boundary); may be empty.
  std::vector<MultiPolygon> boundary;
  /// Also units.gpkg (layer "units").
  bool gpkg = false;
};

/// The files write_emerging_folder() writes, relative to the folder, in writing order.
[[nodiscard]] std::vector<std::string> emerging_folder_files(bool gpkg);

/// Writes the products of an emerging hot spot analysis into `folder` (an existing, empty folder,
/// e.g. AtomicDirectory::temp_path()): units.geojson, units.qml (EhsaClassStyle: QGIS loads it
/// as the layer's style), bins.csv, sensitivity.csv (its header alone without the table), map.png
/// (units filled by class with a legend of the classes present and their counts, the boundary,
/// scale bar, attribution) and, with gpkg, units.gpkg. Deterministic: the same result gives the
/// same bytes. Throws IoError naming the file that failed.
void write_emerging_folder(const std::string& folder, const Crs& crs, const Units& units,
                           const EmergingResult& result, const EmergingFolderOptions& options);

}  // namespace hotspots
