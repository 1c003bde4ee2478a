// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "hotspots/core/grid.hpp"
#include "hotspots/hotspots/cell_regions.hpp"
#include "hotspots/hotspots/gistar_cells.hpp"
#include "hotspots/hotspots/hot_areas.hpp"
#include "hotspots/io/incidents.hpp"
#include "hotspots/io/zones.hpp"
#include "hotspots/stats/kde.hpp"
#include "hotspots/tables/concentration.hpp"
#include "hotspots/tables/patrol_places.hpp"
#include "hotspots/tables/zone_table.hpp"
#include "hotspots/units/grid_policy.hpp"

namespace hotspots {

/// What `hotspots analyse` computes for each crime group. Every step's own options struct, so a
/// pack is described completely by this and the grid.
struct AnalysisOptions {
  /// radius_m <= 0: the nearest-neighbour rule on each group's incidents (street_scale in
  /// units/grid_policy.hpp: 2 cells of 2 · max(mean, median) nearest-neighbour distance).
  KdeOptions kde;
  /// Edge incidents: the KDE surface also smooths the incidents outside the study area within one
  /// radius of a study-area cell (with_edge_points), then is masked to the study area; every
  /// count (hotspot incidents, Gi*, concentration, zones, patrol places) still counts only the
  /// incidents inside. false: incidents outside are dropped before smoothing (the old rule).
  bool edge_incidents = true;
  /// KDE hotspots: the top `hot_top_percent` % of the study area's cells by density, merged by
  /// `connectivity` into polygons (as `hotspots kde`).
  double hot_top_percent = 5.0;
  Connectivity connectivity = Connectivity::queen;
  /// Gi* on incident counts per cell of the same grid; distance_band_m <= 0 and knn == 0: 5 cells.
  GiStarCellsOptions gistar;
  /// Gi* clusters: cells with gi_bin >= level (1, 2, 3 = 90, 95, 99 %), hot and cold.
  int cluster_level = 2;
  ConcentrationOptions concentration;
  ZoneTableOptions zone_table;
  /// Patrol places (tables/patrol_places.hpp): chosen from the group's incidents, not from the
  /// KDE hotspots, so that an oversize hotspot is split into patrol-sized places.
  PatrolPlaceOptions patrol;
};

/// One crime group's results.
struct GroupAnalysis {
  double radius_m = 0;  ///< KDE bandwidth used
  bool radius_from_rule = false;
  StreetScale scale;  ///< the nearest-neighbour figures behind the radius (radius_from_rule)
  OversizeHotAreas oversize;   ///< KDE hotspots above kNeighbourhoodScaleKm2, with a warning
  Raster surface;              ///< KDE density per km², NaN outside the study area
  std::int64_t hot_cells = 0;  ///< cells selected as KDE hot cells
  /// The hotspot threshold: the smallest density of a hot cell (per km²; NaN when none), so a
  /// cell is hot exactly when its density is >= this (the map's top class starts here).
  double hot_threshold = std::numeric_limits<double>::quiet_NaN();
  std::vector<HotArea> hotspots;  ///< KDE hotspot polygons, ranked
  GiStarCells gistar;
  GiStarClusters clusters;
  Concentration concentration;
  ZoneTable zone_table;  ///< empty rows when no zones were given
  PatrolPlaces patrol;
  double incidents = 0;  ///< Σ weight of the current-period incidents
  /// Incidents outside the study area that the KDE surface smoothed (within one radius of a
  /// study-area cell; AnalysisOptions::edge_incidents): in no count.
  std::int64_t edge_incidents = 0;
};

/// The analysis of one crime group on a fixed grid: KDE surface and hotspot polygons, Gi* cells
/// and clusters, the concentration of incidents over the grid's study-area cells (the Gi* counts),
/// the zone table (current against `previous`, hotspot share from the KDE hotspots) and the
/// patrol places (select_patrol_places over the current incidents; `period_months` scales their
/// minimum, the study-area cells give their PAI).
/// `outside`: the incidents of the period outside the study area (Study::outside, same group),
/// smoothed by the KDE surface only when options.edge_incidents; in no count.
/// `mask`: the study-area cells (nullptr: every cell). `previous`: the incidents of the previous
/// period of equal length (empty when the data do not cover it: the caller blanks the change
/// columns). `population`: empty or one per zone.
/// Pure: no I/O. Throws what the steps throw (InvalidArgument for options, Error when there is
/// no incident). Cost: the sum of the steps; KDE and Gi* dominate (see kde.hpp, gistar.hpp).
[[nodiscard]] GroupAnalysis analyse_group(const Incidents& current, const Incidents& previous,
                                          const Incidents& outside, const GridSpec& grid,
                                          const CellMask* mask, const std::vector<Zone>& zones,
                                          const std::vector<double>& population,
                                          const AnalysisOptions& options, int period_months);

/// The incidents whose crime type is in `group` (a crime_type_groups() name or a category name,
/// case-insensitive, as --crime-type); "all" keeps every incident, even uncategorised ones.
[[nodiscard]] Incidents select_group(const Incidents& incidents, const std::string& group);

}  // namespace hotspots
