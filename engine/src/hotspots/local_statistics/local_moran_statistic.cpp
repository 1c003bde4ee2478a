// SPDX-License-Identifier: MIT
#include "hotspots/hotspots/local_statistics/local_moran_statistic.hpp"

#include <fmt/format.h>

#include <limits>
#include <string>

#include "hotspots/core/error.hpp"
#include "hotspots/stats/local_moran.hpp"

namespace hotspots {

void LocalMoranStatistic::Options::validate() const {
  if (permutations < 0)
    throw InvalidArgument(
        fmt::format("permutations {}: must be 0 (skip local Moran's I) or more", permutations));
  if (!(lisa_alpha > 0 && lisa_alpha < 1))
    throw InvalidArgument(fmt::format("lisa_alpha {}: must be in (0, 1)", lisa_alpha));
}

void LocalMoranStatistic::compute(const std::vector<double>& values, const Neighbours& contiguity,
                                  const Options& options, Result& result,
                                  const Progress& progress) {
  LocalMoranOptions lm;
  lm.permutations = options.permutations;
  lm.seed = options.seed;
  const LocalMoranResult r = local_moran(values, contiguity, lm, progress);
  result.lisa_cluster = lisa_clusters(r, options.lisa_alpha);
  result.lisa_i = r.local_i;
  result.lisa_p = r.p_sim;
  // local_moran gives I = 0 to a unit without neighbours; report it as undefined.
  for (std::size_t i = 0; i < values.size(); ++i)
    if (contiguity.lists[i].empty()) result.lisa_i[i] = std::numeric_limits<double>::quiet_NaN();
}

std::vector<FieldDef> LocalMoranStatistic::fields() {
  return {{"lisa_i", FieldType::real}, {"lisa_p", FieldType::real}, {"lisa_type", FieldType::text}};
}

void LocalMoranStatistic::append_values(const Result& result, std::size_t i,
                                        std::vector<FieldValue>& out) {
  if (result.lisa_i.empty()) {  // not computed: null, null, ""
    out.emplace_back();
    out.emplace_back();
    out.emplace_back(std::string());
    return;
  }
  out.emplace_back(result.lisa_i[i]);
  out.emplace_back(result.lisa_p[i]);
  out.emplace_back(std::string(lisa_type_name(result.lisa_cluster[i])));
}

std::string_view lisa_type_name(int quadrant) {
  switch (quadrant) {
    case 1:
      return "HH";
    case 2:
      return "LH";
    case 3:
      return "LL";
    case 4:
      return "HL";
    default:
      return "";
  }
}

}  // namespace hotspots
