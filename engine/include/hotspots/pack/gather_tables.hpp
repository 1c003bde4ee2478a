// SPDX-License-Identifier: MIT
#pragma once

// The files of a gathered batch (gather.hpp), as text: index.csv (task × group, the columns of
// the README's "Gather"), index.geojson (one feature per task with its study area), persistence.csv
// (the latest patrol places and how long they stayed in the top list) and summary.md (league
// tables, trends over the periods, places that persist). Pure; deterministic.

#include <string>

#include "hotspots/pack/gather.hpp"

namespace hotspots {

/// index.csv: a UTF-8 BOM, then one row per finished task and group, one per failed or missing
/// task; rounded values, percentages 0–100 (README "Tables").
[[nodiscard]] std::string gather_index_csv(const Gathered& g);

/// index.geojson (RFC 7946): one feature per task, the study area's geometry (null when the pack
/// has none, or failed), properties task_id, area, area_name, period, status, error, area_km2,
/// population and per group `<group>_incidents`, `_previous`, `_change_pct`, `_change_q`,
/// `_change_flag`, `_per_km2`, `_per_1000`, `_rank`, `_share`, `_rate_rank`, `_rate_index`,
/// `_patrol_places` at full precision (shares as fractions), for a choropleth in QGIS.
[[nodiscard]] std::string gather_index_geojson(const Gathered& g);

/// persistence.csv: area, area_name, group, period, place_id, top_location, incidents, centre_x,
/// centre_y, radius_m, periods_in_top_list, periods, streak.
[[nodiscard]] std::string gather_persistence_csv(const Gathered& g);

/// summary.md: the tasks' status (failed and missing ones listed), per period and group the
/// league table, per group the trend of each area over the periods (Mann–Kendall with four or
/// more periods), the places that stayed longest in the top list, and the data's licence.
[[nodiscard]] std::string gather_summary_md(const Gathered& g);

}  // namespace hotspots
