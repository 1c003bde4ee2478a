// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "hotspots/io/study.hpp"

namespace hotspots {

/// Counts of one boundary feature.
struct FeatureCount {
  std::string id;
  std::string name;
  double area_km2 = 0;
  std::int64_t incidents = 0;
};

struct BoundarySummary {
  std::string path;
  std::string layer;
  std::int64_t features = 0;
  std::vector<ZoneRepair> repairs;
  std::int64_t inside = 0;                ///< located incidents inside some feature of this layer
  std::int64_t outside = 0;               ///< located incidents outside every feature of this layer
  std::vector<FeatureCount> per_feature;  ///< layer order
};

/// What `hotspots info` reports: a pure function of a prepared Study.
/// One police force's rows (see Incidents::force).
struct ForceSummary {
  std::string key;            ///< force_key: "leicestershire"
  std::string name;           ///< police.uk's name: "Leicestershire Police"
  std::int64_t rows = 0;      ///< rows read that name this force
  std::int64_t used = 0;      ///< its incidents used
  std::int64_t rejected = 0;  ///< rows - used
  std::int64_t months = 0;    ///< distinct months of its used incidents
  std::int32_t first_month = -1;
  std::int32_t last_month = -1;
};

struct DataSummary {
  std::vector<std::pair<std::int32_t, std::int64_t>> per_month;  ///< month index, used incidents
  std::vector<std::int32_t> missing_months;  ///< months between the first and last with none
  std::int64_t undated = 0;
  std::vector<std::pair<std::string, std::int64_t>> per_type;  ///< used incidents, by name
  std::int64_t uncategorised = 0;
  std::int64_t distinct_locations = 0;
  double total_weight = 0;
  Extent source_extent;
  Extent analysis_extent;
  std::vector<BoundarySummary> boundaries;
  /// Per force, sorted by key; empty when no input names a force.
  std::vector<ForceSummary> per_force;
};

[[nodiscard]] DataSummary summarise(const Study& study);

}  // namespace hotspots
