// SPDX-License-Identifier: MIT
#pragma once

// The files of an `hotspots analyse` pack: per-group layers, maps and styles, the pack-wide
// tables, summary.md, the QGIS project and manifest.json. I/O only; the figures come from
// analyse_group().

#include <cstdint>
#include <string>
#include <vector>

#include "command.hpp"
#include "common.hpp"
#include "hotspots/pack/pack_spec.hpp"
#include "hotspots/workflows/analyse.hpp"

namespace hotspots::cli {

/// The analysis period and the previous period of equal length, in months.
struct PackPeriod {
  std::int32_t from_month = -1;  ///< month index (Date::month_index); −1 when undated
  std::int32_t to_month = -1;
  std::int32_t months = 0;
  std::int32_t previous_from_month = -1;
  /// The inputs reach back to the start of the previous period, so change figures are fair.
  bool previous_available = false;
  std::int64_t previous_rows = 0;  ///< incidents of the previous period (all groups)
  /// Rows of the previous period that could not be used (no coordinates, unparsable...).
  std::int64_t previous_rows_rejected = 0;
  std::vector<std::int32_t> current_missing_months;  ///< months of the period without data
  std::string no_change_reason;  ///< why there are no change figures (when not available)

  std::string label() const;           ///< "2024-07 to 2024-12"
  std::string previous_label() const;  ///< "2024-01 to 2024-06"
};

struct PackZones {
  std::vector<Zone> zones;
  std::vector<double> population;  ///< empty, or one per zone (NaN = unknown)
  std::string source;              ///< the zones file (or the boundary file)
  std::string id_field;
  std::string name_field;
  std::size_t repairs = 0;
};

struct GroupResult {
  std::string name;    ///< as given in --groups
  std::string folder;  ///< sub-folder of the pack
  std::int64_t current_incidents = 0;
  std::int64_t previous_incidents = 0;
  bool mapped = false;     ///< KDE, Gi*, patrol list and map were made
  std::string note;        ///< why not, when not mapped
  double surface_max = 0;  ///< largest density
  /// The map's quantile classes of the density (quantile_breaks), shared by map.png, the .qml
  /// and the QGIS project so that all three show the same classes.
  std::vector<double> surface_breaks;
  GroupAnalysis analysis;  ///< surface and cells are released once written
};

/// Everything a pack is made from besides the Study.
struct PackRequest {
  std::string command_line;
  PackSpec spec;  ///< what ran (manifest.json "spec")
  std::vector<std::string> groups;
  AnalysisOptions options;
  std::string zones_path;
  std::string population_field;
  PackPeriod period;
  PackZones zones;
  GridSpec grid;
  CellMask mask;
  std::vector<GroupResult> results;
};

/// Largest finite value of a raster (0 when none).
double finite_max(const Raster& raster);

/// "asb" -> "Anti-social behaviour", "all" -> "All crime"; other names as given.
std::string group_title(const std::string& group);

/// Writes DIR/<folder>/: density.tif, hotspots.geojson, gistar_z.tif, gistar_cells.geojson
/// (significant cells), gistar_clusters.geojson, patrol.csv, map.png and a .qml per layer.
void write_group(const std::string& dir, const Study& study, const PackRequest& request,
                 const GroupResult& result);

/// Writes DIR/zones.csv, DIR/zones.geojson (+ .qml) and DIR/concentration.csv.
void write_pack_tables(const std::string& dir, const Study& study, const PackRequest& request);

/// Writes DIR/summary.md: key figures, tables and the maps, fit to paste into a bid.
void write_summary(const std::string& dir, const Study& study, const PackRequest& request);

/// Writes DIR/hotspots.qgs with every layer of the pack, styled.
void write_pack_project(const std::string& dir, const Study& study, const PackRequest& request);

/// Writes DIR/manifest.json: version, command, inputs with SHA-256, parameters (defaults
/// resolved), period, row accounting, per-group figures, every output file with its SHA-256,
/// and the timings (the only part that differs between identical runs).
void write_manifest(const std::string& dir, const Context& ctx, const Study& study,
                    const PackRequest& request, const PhaseTimer& timer);

}  // namespace hotspots::cli
