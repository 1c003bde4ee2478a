// SPDX-License-Identifier: MIT
#pragma once

// What a hotspot pack is made of once its figures are computed: the period and the previous
// period, the zones, the grid and, per crime group, the analysis. run_pack() fills it; the pack's
// products (products/product_list.hpp) write files from it.

#include <cstdint>
#include <string>
#include <vector>

#include "hotspots/core/grid.hpp"
#include "hotspots/core/period.hpp"
#include "hotspots/io/basemap.hpp"
#include "hotspots/io/study.hpp"
#include "hotspots/io/zones.hpp"
#include "hotspots/pack/pack_spec.hpp"
#include "hotspots/tables/busiest_cells.hpp"
#include "hotspots/workflows/analyse.hpp"

namespace hotspots {

/// The analysis period and the previous period of equal length, in months.
struct PackPeriod {
  Period current;  ///< not valid() when the incidents are undated
  /// The inputs reach back to the start of the previous period, so change figures are fair.
  bool previous_available = false;
  std::int64_t previous_rows = 0;  ///< incidents of the previous period (all groups)
  /// Rows of the previous period that could not be used (no coordinates, unparsable...).
  std::int64_t previous_rows_rejected = 0;
  std::vector<std::int32_t> current_missing_months;  ///< months of the period without data
  std::string no_change_reason;  ///< why there are no change figures (when not available)

  /// The months just before `current`, as many (Period::previous).
  [[nodiscard]] Period previous() const { return current.previous(); }
  /// "2024-07 to 2024-12"; "undated incidents".
  [[nodiscard]] std::string label() const { return current.label(); }
  /// "2024-01 to 2024-06"; "" when undated.
  [[nodiscard]] std::string previous_label() const {
    return current.valid() ? previous().label() : std::string();
  }
};

/// The zones of the zone table: the --zones file, or the boundary features.
struct PackZones {
  std::vector<Zone> zones;
  std::vector<double> population;  ///< empty, or one per zone (NaN = unknown)
  std::string source;              ///< the zones file (or the boundary file)
  std::string id_field;
  std::string name_field;
  std::size_t repairs = 0;
  /// Zones of the zones file left out because less than kMinZoneShareInside of their area lies
  /// in the study area (a district run of a county's LSOAs tabulates the district's only).
  std::size_t left_out = 0;
};

/// The share of a zone's area that must lie inside the study area for the zone to be tabulated
/// and drawn: the larger part (a "best fit" by area, as ONS lookups assign small areas to
/// districts). Not any overlap: published boundaries of different generalisations (LAD13 and
/// LSOA11) overlap along shared edges, which put 21 neighbouring LSOAs into Leicester at 1 %.
inline constexpr double kMinZoneShareInside = 0.5;

/// One crime group of the pack.
struct GroupResult {
  std::string name;    ///< as given in the spec's groups
  std::string folder;  ///< sub-folder of the pack (pack_folder_name)
  std::int64_t current_incidents = 0;
  std::int64_t previous_incidents = 0;
  /// Σ weight per month of the period, in order; empty when undated.
  std::vector<double> monthly;
  /// The same for the previous period (month k of it beside month k of the period); empty when
  /// the change figures are not available (PackPeriod::previous_available).
  std::vector<double> monthly_previous;
  bool mapped = false;     ///< KDE, Gi*, patrol list and map were made
  std::string note;        ///< why not, when not mapped
  double surface_max = 0;  ///< largest density
  /// The map's classes of the density (hotspot_class_breaks: the top class starts at the KDE
  /// hotspot threshold), shared by map.png, the .qml and the QGIS project so that all three
  /// show the same classes.
  std::vector<double> surface_breaks;
  GroupAnalysis analysis;  ///< surface and cells are released once written
  /// The period's incidents ranked by cell on PackRequest::busiest_grid, up to the KDE
  /// hotspots' share of the area (rank_busiest_cells); empty when not mapped.
  BusiestCells busiest;
};

/// Everything a pack is made from besides the Study.
struct PackRequest {
  std::string command_line;  ///< recorded in manifest.json
  std::string version;       ///< the tool's version, recorded in every product
  PackSpec spec;             ///< what ran (manifest.json "spec"): groups, zones, every option
  std::string area_name;     ///< the study area's name in titles (study_area_name)
  BasemapLines basemap;      ///< spec.basemap_path's lines near the study area (empty: none)
  /// spec.analysis with the data-dependent defaults resolved (the Gi* band of the grid).
  AnalysisOptions options;
  PackPeriod period;
  /// The previous period's incidents, all groups (empty when nothing precedes the period).
  Incidents previous;
  PackZones zones;
  GridSpec grid;
  CellMask mask;
  /// The fishnet of the busiest cells (kBusiestCellSizeM over the study area, snapped) and its
  /// study-area cells (centre inside).
  GridSpec busiest_grid;
  CellMask busiest_mask;
  std::vector<GroupResult> results;
};

/// What every product of a pack reads: the study (inputs, boundaries, CRS, row accounting) and
/// the request with the groups' results.
struct PackContents {
  const Study& study;
  const PackRequest& request;
};

/// The study area's name for titles: `title` when given, else the names of the boundary
/// features that form the study area ("Leicester"; "Blaby and Charnwood"; "Blaby, Charnwood,
/// Harborough and 6 more areas"), else "" (no boundary).
[[nodiscard]] std::string study_area_name(const Study& study, const std::string& title);

/// A group name usable as a folder name: lower case, letters, digits and '-' only
/// ("Criminal damage" -> "criminal-damage"; "group" when nothing is left).
[[nodiscard]] std::string pack_folder_name(const std::string& group);

/// "asb" -> "Anti-social behaviour", "all" -> "All incidents (crime and ASB)", "crime" -> "All
/// crime (excluding ASB)"; other names as given.
[[nodiscard]] std::string group_title(const std::string& group);

/// Largest finite value of a raster (0 when none).
[[nodiscard]] double finite_max(const Raster& raster);

}  // namespace hotspots
