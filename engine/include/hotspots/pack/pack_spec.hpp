// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hotspots/io/study.hpp"
#include "hotspots/io/zones.hpp"
#include "hotspots/workflows/analyse.hpp"

namespace hotspots {

/// `hotspots analyse`'s defaults where they differ from each step's own: Gi* bins FDR-corrected
/// (a pack tests thousands of cells) and 99 local Moran permutations (the smallest pseudo p is
/// then 0.01). The one place the command, spec files and plans take them from.
[[nodiscard]] AnalysisOptions pack_analysis_defaults();

/// `analyse --emerging`: an emerging hot spot analysis per mapped group
/// (products/emerging_product.hpp). Off by default.
struct PackEmergingSpec {
  bool enabled = false;
  /// Hexagon width (centre spacing) in metres; 0: as `hotspots emerging` without --cell-size (the
  /// hexagon of the grid policy's default square for the study extent).
  double cell_size_m = 0;
  int time_step_months = 1;  ///< months per time step, >= 1
  int time_lags = 1;         ///< space-time Gi* time lags K, >= 0
};

/// Everything that decides the contents of a hotspot pack: the inputs and how to read them, the
/// zones, the crime groups and every option of every step, with the command's defaults already
/// applied (resolve_pack_defaults). Values that depend on the data (the cell size when
/// cell_size_m is 0, a Silverman radius when kde.radius_m is 0, a band of 5 cells) are resolved
/// the same way on every run from the same inputs, and recorded in manifest.json beside it.
/// A spec written by pack_spec_json and read back by parse_pack_spec is the same spec, so a pack
/// can be rebuilt from its manifest (`hotspots analyse --spec`) with byte-identical outputs.
/// Where the pack is written (and whether it may replace one) is not part of it.
struct PackSpec {
  std::vector<std::string> inputs;  ///< files and folders of incidents, as given
  /// The study area's name on every map, in summary.md and manifest.json ("Leicester"); empty:
  /// the names of the boundary features (study_area_name).
  std::string title;
  /// Reading, filters (crime types, from/to), boundaries (the study area) and the analysis CRS.
  /// read.keep_rejected_rows and read.history_from are set by the run, not by the spec.
  StudyOptions study;
  std::string zones_path;  ///< zones of the zone table; empty: the boundary features
  ZoneReadOptions zones;
  std::string population_field;  ///< of the zones; adds incidents per 1,000 residents
  /// A basemap drawn under every map and copied, clipped, into the pack as a layer of
  /// hotspots.qgs: a vector layer (roads, outlines: any OGR source) or a raster GDAL opens;
  /// empty = none.
  std::string basemap_path;
  /// The basemap's own licence statement ("© Crown copyright and database rights 2024 OS
  /// AC0000000000"), drawn on every map below the police.uk line and in the report's data
  /// sources; empty: the maps name the basemap's file only.
  std::string basemap_attribution;
  std::vector<std::string> groups = {"asb", "violence", "all"};
  double cell_size_m = 0;  ///< 0: the grid policy's default for the study extent
  /// rejects.csv lists the rows outside the study area too (they are always counted). Off by
  /// default: a district's pack from a county's files would list the whole county (25-40 MB).
  bool rejects_list_outside = false;
  AnalysisOptions analysis = pack_analysis_defaults();
  PackEmergingSpec emerging;
};

/// The spec format's version, written as "spec_version"; parse_pack_spec refuses newer ones.
inline constexpr int kPackSpecVersion = 1;

/// Applies the command's defaults that depend on other options (today: a patrol list of 10
/// places when neither a count nor an area budget is given) and checks every option; throws
/// InvalidArgument naming the field ("groups[1]", "analysis.kde.radius_m").
[[nodiscard]] PackSpec resolve_pack_defaults(PackSpec spec);

/// The spec as a JSON object (2-space indented, keys in a fixed order).
[[nodiscard]] std::string pack_spec_json(const PackSpec& spec);

/// Reads a spec from JSON text: a spec object, or a pack's manifest.json holding one under
/// "spec". `source` names the text in errors, which name the offending key
/// ("manifest.json: spec.kde.radius_m: expected a number"). Missing keys keep their defaults.
[[nodiscard]] PackSpec parse_pack_spec(std::string_view json_text, const std::string& source);

/// For a manifest.json: throws Error when an input it lists is missing or its SHA-256 differs
/// from the one recorded (a rebuild would not be the same pack), naming the file. Relative
/// paths are relative to the folder the pack was made from, as on its command line.
void check_pack_inputs(std::string_view manifest_text, const std::string& source);

}  // namespace hotspots
