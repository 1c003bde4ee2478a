// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hotspots/pack/plan.hpp"

namespace hotspots {

/// What gather_batch() found.
struct GatherResult {
  std::int64_t done = 0;     ///< tasks with a finished pack
  std::int64_t failed = 0;   ///< tasks whose last run failed (OUTPUT/.batch/failed/<id>.txt)
  std::int64_t missing = 0;  ///< tasks never run (or still running)
  std::string index_path;    ///< OUTPUT/index.csv
};

/// Merges the finished packs of a plan into OUTPUT/index.csv, one row per task and crime group
/// (a failed or missing task gets one row with its status and error, never silently absent):
/// task_id, area, period, status, error, group, incidents, previous_incidents, change_pct,
/// kde_hotspots, gistar_hot_clusters, patrol_places, rank_in_period (the league table: the
/// area's rank among the period's finished areas by incidents of the group, 1 = most; ties share
/// the lower rank), share_of_period (its share of those areas' incidents). Reads each pack's
/// manifest.json only. Throws IoError naming a manifest that cannot be parsed or the index that
/// cannot be written. O(tasks · groups · log).
GatherResult gather_batch(const std::vector<PlanTask>& tasks, const std::string& output_dir);

}  // namespace hotspots
