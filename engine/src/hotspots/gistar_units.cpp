// SPDX-License-Identifier: MIT
#include "hotspots/hotspots/gistar_units.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "hotspots/core/error.hpp"
#include "hotspots/io/zones.hpp"
#include "hotspots/stats/fdr.hpp"
#include "hotspots/stats/local_moran.hpp"

namespace hotspots {

void GiStarUnitsOptions::validate() const {
  if (distance_band_m != 0 && (!(distance_band_m > 0) || !std::isfinite(distance_band_m)))
    throw InvalidArgument(
        fmt::format("distance_band_m {}: must be a positive number", distance_band_m));
  if (knn < 0) throw InvalidArgument(fmt::format("knn {}: must be >= 0", knn));
  if (distance_band_m > 0 && knn > 0)
    throw InvalidArgument("distance_band_m and knn: give at most one");
  if (permutations < 0)
    throw InvalidArgument(fmt::format("permutations {}: must be >= 0", permutations));
  if (!(lisa_alpha > 0 && lisa_alpha < 1))
    throw InvalidArgument(fmt::format("lisa_alpha {}: must be in (0, 1)", lisa_alpha));
}

GiStarUnits compute_gistar_units(const std::vector<double>& values, const std::vector<double>& cx,
                                 const std::vector<double>& cy, const Neighbours& contiguity,
                                 const GiStarUnitsOptions& options,
                                 const Neighbours* gi_neighbours) {
  options.validate();
  if (gi_neighbours && (options.distance_band_m > 0 || options.knn > 0))
    throw InvalidArgument(
        "compute_gistar_units: give Gi* neighbours or distance_band_m/knn, not both");
  if (cx.size() != values.size() || cy.size() != values.size())
    throw InvalidArgument("compute_gistar_units: values and centres differ in length");
  if (values.size() < 2)
    throw InvalidArgument("compute_gistar_units: fewer than two units of analysis");
  contiguity.validate(values.size());
  Neighbours built;
  if (options.distance_band_m > 0)
    built = distance_band_neighbours(cx, cy, options.distance_band_m * (1 + 1e-9));
  else if (options.knn > 0)
    built = knn_neighbours(cx, cy, options.knn);
  if (gi_neighbours) gi_neighbours->validate(values.size());
  const Neighbours& gi_nb = gi_neighbours                                    ? *gi_neighbours
                            : options.distance_band_m > 0 || options.knn > 0 ? built
                                                                             : contiguity;

  GiStarUnits out;
  out.gi = gistar(values, gi_nb);
  for (std::size_t i = 0; i < values.size(); ++i)
    if (gi_nb.lists[i].empty()) {
      out.islands.push_back(static_cast<std::int32_t>(i));
      out.gi.z[i] = out.gi.p[i] = std::numeric_limits<double>::quiet_NaN();
      out.gi.bin[i] = 0;
    }
  if (options.fdr) out.gi.bin = fdr_bins(out.gi.z, out.gi.p);
  if (options.permutations > 0) {
    LocalMoranOptions lm;
    lm.permutations = options.permutations;
    lm.seed = options.seed;
    const LocalMoranResult r = local_moran(values, contiguity, lm);
    out.lisa_cluster = lisa_clusters(r, options.lisa_alpha);
    out.lisa_i = r.local_i;
    out.lisa_p = r.p_sim;
    // local_moran gives I = 0 to a unit without neighbours; report it as undefined.
    for (std::size_t i = 0; i < values.size(); ++i)
      if (contiguity.lists[i].empty()) out.lisa_i[i] = std::numeric_limits<double>::quiet_NaN();
  }
  return out;
}

UnitClusters gistar_unit_clusters(const std::vector<double>& values, const GiStarResult& gi,
                                  const Neighbours& adjacency,
                                  const std::vector<MultiPolygon>& polygons,
                                  const std::vector<double>& area_m2, int level, bool cold) {
  if (level < 1 || level > 3)
    throw InvalidArgument(fmt::format("cluster level {}: expected 1, 2 or 3", level));
  const std::size_t n = values.size();
  if (gi.bin.size() != n || gi.z.size() != n || adjacency.lists.size() != n ||
      polygons.size() != n || area_m2.size() != n)
    throw InvalidArgument("gistar_unit_clusters: inputs differ in length");
  double total_incidents = 0;
  double total_area = 0;
  for (std::size_t i = 0; i < n; ++i) total_incidents += values[i], total_area += area_m2[i];

  const auto components = [&](int sign) {
    std::vector<UnitCluster> out;
    std::vector<std::uint8_t> seen(n, 0);
    const auto selected = [&](std::size_t i) {
      return sign > 0 ? gi.bin[i] >= level : gi.bin[i] <= -level;
    };
    std::vector<std::int32_t> stack;
    for (std::size_t s = 0; s < n; ++s) {
      if (seen[s] || !selected(s)) continue;
      UnitCluster c;
      seen[s] = 1;
      stack.assign(1, static_cast<std::int32_t>(s));
      while (!stack.empty()) {
        const std::int32_t i = stack.back();
        stack.pop_back();
        c.members.push_back(i);
        for (const std::int32_t j : adjacency.lists[static_cast<std::size_t>(i)]) {
          const auto uj = static_cast<std::size_t>(j);
          if (!seen[uj] && selected(uj)) seen[uj] = 1, stack.push_back(j);
        }
      }
      std::sort(c.members.begin(), c.members.end());
      double area = 0;
      double zsum = 0;
      std::vector<const MultiPolygon*> parts;
      for (const std::int32_t i : c.members) {
        const auto ui = static_cast<std::size_t>(i);
        c.incidents += values[ui];
        area += area_m2[ui];
        zsum += gi.z[ui];
        parts.push_back(&polygons[ui]);
      }
      c.area_km2 = area / 1e6;
      c.mean_z = zsum / static_cast<double>(c.members.size());
      c.pai = total_incidents > 0 && area > 0
                  ? (c.incidents / total_incidents) / (area / total_area)
                  : std::numeric_limits<double>::quiet_NaN();
      c.outline = dissolve(parts, 0.0);
      out.push_back(std::move(c));
    }
    std::sort(out.begin(), out.end(), [&](const UnitCluster& a, const UnitCluster& b) {
      if (sign > 0) {
        if (a.incidents != b.incidents) return a.incidents > b.incidents;
        if (a.mean_z != b.mean_z) return a.mean_z > b.mean_z;
      } else {
        if (a.members.size() != b.members.size()) return a.members.size() > b.members.size();
        if (a.mean_z != b.mean_z) return a.mean_z < b.mean_z;
      }
      return a.members.front() < b.members.front();
    });
    for (std::size_t k = 0; k < out.size(); ++k) out[k].rank = static_cast<int>(k + 1);
    return out;
  };
  UnitClusters result;
  result.hot = components(+1);
  if (cold) result.cold = components(-1);
  return result;
}

}  // namespace hotspots
