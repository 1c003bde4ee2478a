// SPDX-License-Identifier: MIT
#pragma once

// What a hotspot pack is made of once its figures are computed: the period and the previous
// period, the zones, the grid and, per crime group, the analysis. run_pack() fills it; the pack's
// products (products/product_list.hpp) write files from it.

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
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

struct ChangeResult;  // hotspots/change.hpp
struct PackEmerging;  // pack/products/emerging_product.hpp

/// What summary.md says of a group's change from the previous period, read from the result the
/// change product writes (ChangeProduct, products/change_product.hpp change_figures()).
struct ChangeFigures {
  std::int64_t before_incidents = 0;  ///< of the previous period
  std::int64_t after_incidents = 0;   ///< of the period
  /// The smallest and largest value of the KDE difference (after − before, incidents per km²)
  /// over the study area; NaN when it has no cell.
  double largest_fall_per_km2 = 0;
  double largest_rise_per_km2 = 0;
  std::int64_t new_ground_cells = 0;  ///< cells whose ratio is undefined (before 0, after > 0)
  std::int64_t cells = 0;             ///< cells with an incident in either period (cells.csv)
  std::int64_t cells_up = 0;          ///< of those, flagged "up" (BH-adjusted p < alpha)
  std::int64_t cells_down = 0;        ///< flagged "down"
  std::int64_t places_before = 0;     ///< patrol places of each period
  std::int64_t places_after = 0;
  std::int64_t persists = 0;    ///< places of the previous period matched in the period
  std::int64_t ceased = 0;      ///< places of the previous period with no match
  std::int64_t new_places = 0;  ///< places of the period with no match before
};

/// Emerging hot spot classes per unit count (EhsaClass order, stats/ehsa_classes.hpp), with the
/// cube they come from, read from the result the emerging product writes (EmergingProduct).
struct EmergingFigures {
  double hexagon_m = 0;      ///< the hexagons' width (centre spacing)
  std::size_t units = 0;     ///< units of the cube
  std::size_t steps = 0;     ///< time steps
  int time_step_months = 1;  ///< months per step
  int time_lags = 1;         ///< space-time Gi* time lags
  std::string span;          ///< "2024-07 to 2024-12"
  std::array<std::int64_t, 17> class_counts{};
};

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
  /// The change from the previous period and the emerging hot spot analysis, made once by
  /// run_pack for the products that write them (ChangeProduct, EmergingProduct) and released once
  /// written; null when the pack has none.
  std::shared_ptr<const ChangeResult> change_result;
  std::shared_ptr<const PackEmerging> emerging_result;
  /// Their figures for summary.md, kept (empty when not made).
  std::optional<ChangeFigures> change;
  std::optional<EmergingFigures> emerging;
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
