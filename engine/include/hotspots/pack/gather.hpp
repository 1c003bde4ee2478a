// SPDX-License-Identifier: MIT
#pragma once

// Gathering a batch: the finished packs of a plan read back (manifests, study areas, zones,
// concentration and patrol places) into one table of task × crime group, with the league tables
// funding bids use (areas of a period ranked by count and by rate, against the all-areas figure),
// the test of each area's change, trends over the periods and the patrol places that stay in the
// top list across refreshes. gather_tables.hpp writes it out.

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "hotspots/core/geometry.hpp"
#include "hotspots/pack/plan.hpp"

namespace hotspots {

/// A patrol place of one task's pack (its patrol.geojson properties).
struct GatheredPlace {
  std::string id;  ///< "P1"...
  Point centre;    ///< analysis CRS
  double radius_m = 0;
  std::vector<Extent> cells;  ///< a cells place's squares (else a circle of radius_m)
  double incidents = 0;
  std::string top_location;  ///< the busiest "On or near ..." name with its count
};

/// One crime group of one finished task.
struct GatheredGroup {
  std::string name;   ///< "asb", "violence", ...
  std::string title;  ///< "Anti-social behaviour", ...
  double incidents = 0;
  double previous = std::numeric_limits<double>::quiet_NaN();  ///< NaN without a previous period
  /// Exact conditional binomial test of equal rates (change_test_p, the zone table's test) of
  /// incidents against previous (periods of equal length); NaN without a previous period.
  double change_p = std::numeric_limits<double>::quiet_NaN();
  /// change_p adjusted (Benjamini–Hochberg) over the areas of the period's league.
  double change_q = std::numeric_limits<double>::quiet_NaN();
  std::string change_flag;  ///< "up" / "down" when change_q < 0.05, else ""
  std::int64_t kde_hotspots = 0;
  std::int64_t gistar_hot_clusters = 0;
  std::int64_t patrol_places = 0;
  double patrol_incidents = 0;  ///< incidents inside the patrol places
  double top5pct_cells_share = std::numeric_limits<double>::quiet_NaN();  ///< concentration.csv
  double area_share_for_half = std::numeric_limits<double>::quiet_NaN();  ///< concentration.csv
  std::vector<GatheredPlace> places;
  // The league of the period and group (rank_leagues):
  std::int64_t rank = 0;  ///< by incidents, 1 = most; ties share the lower rank
  double share = std::numeric_limits<double>::quiet_NaN();  ///< of the league's incidents
  std::int64_t rate_rank = 0;  ///< by incidents per 1,000 residents; 0 without population
  /// The area's rate over the league's pooled rate (Σ incidents / Σ population) × 100: 100 = the
  /// all-areas figure. NaN without population.
  double rate_index = std::numeric_limits<double>::quiet_NaN();
};

/// One task of the plan and what its pack holds.
struct GatheredTask {
  const PlanTask* task = nullptr;
  std::string status;  ///< "done", "failed", "missing"
  std::string error;   ///< failed: the first line(s) of the error, one line
  std::string area_name;
  double area_km2 = std::numeric_limits<double>::quiet_NaN();
  /// Σ of the pack's zones' population field (zones at least half inside the study area); NaN
  /// when the pack has no population field.
  double population = std::numeric_limits<double>::quiet_NaN();
  std::string geometry_json;  ///< the study area's GeoJSON geometry (WGS 84), "" when absent
  std::vector<GatheredGroup> groups;

  /// Incidents per km² of one group (NaN without an area).
  [[nodiscard]] double per_km2(const GatheredGroup& g) const { return g.incidents / area_km2; }
  /// Incidents per 1,000 residents (NaN without population).
  [[nodiscard]] double per_1000(const GatheredGroup& g) const {
    return population > 0 ? 1000.0 * g.incidents / population
                          : std::numeric_limits<double>::quiet_NaN();
  }
};

/// A patrol place of an area's latest period and how long it stayed in the top list.
struct PersistentPlace {
  std::string area;
  std::string area_name;  ///< the pack's area name ("" when it has none)
  std::string group;
  std::string period;  ///< the latest finished period of the area
  GatheredPlace place;
  int periods = 0;  ///< of the area's `of` finished periods, those whose top list holds a match
  int of = 0;
  int streak = 0;  ///< consecutive periods with a match, ending with the latest
};

struct Gathered {
  std::vector<GatheredTask> tasks;  ///< plan order
  std::int64_t done = 0;
  std::int64_t failed = 0;
  std::int64_t missing = 0;
  /// Per area and group, the latest period's places with their persistence (area, group, rank
  /// order); empty when no area has two finished periods.
  std::vector<PersistentPlace> persistence;
};

/// Reads the packs of `tasks` under `output_dir` (manifest.json, study_area.geojson,
/// zones.geojson, concentration.csv, <group>/patrol.geojson), then ranks the leagues
/// (rank_leagues) and scores the places' persistence (place_persistence). A failed task (its
/// OUTPUT/.batch/failed/<id>.txt) or one without a finished pack is kept with its status, never
/// dropped. Throws IoError naming a file that exists but cannot be parsed.
[[nodiscard]] Gathered gather_packs(const std::vector<PlanTask>& tasks,
                                    const std::string& output_dir);

/// The league tables: for each period and group, the finished areas ranked by incidents and (when
/// every one of them has a population) by incidents per 1,000 residents; each area's share of the
/// league's incidents, its rate index and the BH adjustment of its change test over the league.
/// Pure; O(tasks · groups · log).
void rank_leagues(std::vector<GatheredTask>& tasks);

/// Persistence of the patrol places across refreshes: for each area and group, the finished
/// periods in order of their first month; each place of the latest period with the number of
/// periods whose places include one overlapping it by match_hotspots' rule (area of the
/// intersection of the two circles >= min_overlap_share of the smaller), and the streak ending
/// with the latest. Rolling windows that overlap in time share incidents: say so where shown.
[[nodiscard]] std::vector<PersistentPlace> place_persistence(const std::vector<GatheredTask>& tasks,
                                                             double min_overlap_share = 0.5);

/// What gather_batch() wrote.
struct GatherResult {
  std::int64_t done = 0;     ///< tasks with a finished pack
  std::int64_t failed = 0;   ///< tasks whose last run failed (OUTPUT/.batch/failed/<id>.txt)
  std::int64_t missing = 0;  ///< tasks never run (or still running)
  std::string index_path;    ///< OUTPUT/index.csv
  std::vector<std::string> written;  ///< every file written, index.csv first
};

/// gather_packs, then writes OUTPUT/index.csv, index.geojson, persistence.csv and summary.md
/// (gather_tables.hpp). Throws IoError naming a file that cannot be parsed or written.
GatherResult gather_batch(const std::vector<PlanTask>& tasks, const std::string& output_dir);

}  // namespace hotspots
