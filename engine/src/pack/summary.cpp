// SPDX-License-Identifier: MIT
#include "hotspots/pack/summary.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "hotspots/io/forces.hpp"

namespace hotspots {

DataSummary summarise(const Study& study) {
  const Incidents& inc = study.data.incidents;
  DataSummary s;
  std::map<std::int32_t, std::int64_t> months;
  std::vector<std::int64_t> types(inc.category_names.size(), 0);
  for (std::size_t i = 0; i < inc.size(); ++i) {
    if (inc.date[i].has_month())
      ++months[inc.date[i].month_index];
    else
      ++s.undated;
    if (inc.category[i] >= 0)
      ++types[static_cast<std::size_t>(inc.category[i])];
    else
      ++s.uncategorised;
    s.total_weight += inc.weight[i];
    s.analysis_extent.include(inc.x[i], inc.y[i]);
  }
  s.per_month.assign(months.begin(), months.end());
  if (!months.empty()) {
    for (std::int32_t m = months.begin()->first; m <= months.rbegin()->first; ++m)
      if (!months.count(m)) s.missing_months.push_back(m);
  }
  for (std::size_t t = 0; t < types.size(); ++t)
    if (types[t] > 0) s.per_type.emplace_back(inc.category_names[t], types[t]);
  std::sort(s.per_type.begin(), s.per_type.end());
  s.distinct_locations = static_cast<std::int64_t>(inc.distinct_locations());
  s.source_extent = study.source_extent;

  const std::size_t forces = inc.force_keys.size();
  std::vector<std::set<std::int32_t>> force_months(forces);
  s.per_force.resize(forces);
  for (std::size_t k = 0; k < forces; ++k) {
    s.per_force[k].key = inc.force_keys[k];
    s.per_force[k].name = force_display_name(inc.force_keys[k]);
    if (k < study.data.force_rows.size()) s.per_force[k].rows = study.data.force_rows[k];
  }
  for (std::size_t i = 0; i < inc.force.size(); ++i) {
    if (inc.force[i] < 0) continue;
    const auto k = static_cast<std::size_t>(inc.force[i]);
    ++s.per_force[k].used;
    if (inc.date[i].has_month()) force_months[k].insert(inc.date[i].month_index);
  }
  for (std::size_t k = 0; k < forces; ++k) {
    ForceSummary& f = s.per_force[k];
    f.rejected = f.rows - f.used;
    f.months = static_cast<std::int64_t>(force_months[k].size());
    if (!force_months[k].empty()) {
      f.first_month = *force_months[k].begin();
      f.last_month = *force_months[k].rbegin();
    }
  }
  std::sort(s.per_force.begin(), s.per_force.end(),
            [](const ForceSummary& a, const ForceSummary& b) { return a.key < b.key; });

  for (std::size_t b = 0; b < study.boundaries.size(); ++b) {
    const ZoneLayer& layer = study.boundaries[b];
    BoundarySummary bs;
    bs.path = layer.path;
    bs.layer = layer.layer_name;
    bs.features = static_cast<std::int64_t>(layer.zones.size());
    bs.repairs = layer.repairs;
    std::vector<std::int64_t> counts(layer.zones.size(), 0);
    for (std::int32_t z : study.feature_of_incident[b]) {
      if (z >= 0)
        ++counts[static_cast<std::size_t>(z)], ++bs.inside;
      else
        ++bs.outside;
    }
    for (std::size_t z = 0; z < layer.zones.size(); ++z)
      bs.per_feature.push_back(
          {layer.zones[z].id, layer.zones[z].name, layer.zones[z].area_m2 / 1e6, counts[z]});
    s.boundaries.push_back(std::move(bs));
  }
  return s;
}

}  // namespace hotspots
