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
};

[[nodiscard]] DataSummary summarise(const Study& study);

}  // namespace hotspots
