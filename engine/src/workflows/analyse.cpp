// SPDX-License-Identifier: MIT
#include "hotspots/workflows/analyse.hpp"

#include <algorithm>
#include <array>
#include <exception>
#include <numeric>
#include <set>

#include <tbb/parallel_invoke.h>

#include "detail/text.hpp"
#include "hotspots/core/error.hpp"
#include "hotspots/hotspots/hot_cells.hpp"
#include "hotspots/units/grid_policy.hpp"

namespace hotspots {

Incidents select_group(const Incidents& incidents, const std::string& group) {
  const std::vector<std::string> members = expand_crime_types({group});
  if (members.empty()) return incidents;  // "all"
  const std::set<std::string> wanted(members.begin(), members.end());
  std::vector<std::uint8_t> in_group(incidents.category_names.size(), 0);
  for (std::size_t c = 0; c < incidents.category_names.size(); ++c)
    in_group[c] = wanted.count(detail::lower(incidents.category_names[c])) ? 1 : 0;
  std::vector<std::uint8_t> keep(incidents.size(), 0);
  for (std::size_t i = 0; i < incidents.size(); ++i) {
    const std::int32_t c = incidents.category[i];
    keep[i] = c >= 0 && in_group[static_cast<std::size_t>(c)];
  }
  Incidents out = incidents;
  out.keep_only(keep);
  return out;
}

GroupAnalysis analyse_group(const Incidents& current, const Incidents& previous,
                            const Incidents& outside, const GridSpec& grid, const CellMask* mask,
                            const std::vector<Zone>& zones, const std::vector<double>& population,
                            const AnalysisOptions& options, int period_months) {
  if (current.size() == 0) throw Error("no incident in this group");
  GroupAnalysis out;
  out.incidents = std::accumulate(current.weight.begin(), current.weight.end(), 0.0);

  const WeightedPoints points{current.x, current.y, current.weight};
  KdeOptions kde = options.kde;
  out.radius_from_rule = !(kde.radius_m > 0);
  if (out.radius_from_rule) {
    out.scale = street_scale(current.x, current.y);
    kde.radius_m = out.scale.radius_m;
  }
  kde.validate();
  out.radius_m = kde.radius_m;
  const std::int64_t study_cells = mask != nullptr ? mask->count_inside() : grid.cell_count();
  const double study_km2 =
      static_cast<double>(study_cells) * grid.cell_size_m * grid.cell_size_m / 1e6;

  // KDE surface and hotspot polygons, as `hotspots kde`; then the zone table, which overlays
  // the hotspots.
  bool zones_pending = false;  // the KDE steps are done and the zone table has begun
  const auto kde_hotspots_and_zones = [&] {
    if (options.edge_incidents && outside.size() > 0) {
      const SmoothingPoints smoothing = with_edge_points(
          points, WeightedPoints{outside.x, outside.y, outside.weight}, grid, mask, kde.radius_m);
      out.edge_incidents = smoothing.edge_incidents;
      out.surface = estimate_density(smoothing.points, grid, kde, mask);
    } else {
      out.surface = estimate_density(points, grid, kde, mask);
    }
    const auto hot = select_hot_cells(out.surface, HotRule::top_percent, options.hot_top_percent);
    out.hot_cells = std::count(hot.begin(), hot.end(), std::uint8_t{1});
    for (std::size_t i = 0; i < hot.size(); ++i)
      if (hot[i] != 0 && !(out.surface.values[i] >= out.hot_threshold))
        out.hot_threshold = out.surface.values[i];
    const CellRegions regions = label_regions(grid, hot, options.connectivity);
    out.hotspots = summarise_hot_areas(out.surface, regions, current.x, current.y, current.weight,
                                       study_cells, out.incidents);
    out.oversize = oversize_hot_areas(out.hotspots, kNeighbourhoodScaleKm2);
    if (!zones.empty()) {
      zones_pending = true;
      std::vector<const MultiPolygon*> outlines;
      outlines.reserve(out.hotspots.size());
      for (const HotArea& a : out.hotspots) outlines.push_back(&a.outline);
      out.zone_table =
          compute_zone_table(zones, population, PointColumns{current.x, current.y},
                             PointColumns{previous.x, previous.y}, outlines, options.zone_table);
    }
  };
  // Gi* and local Moran's I on counts per cell of the same grid.
  const auto gistar_and_clusters = [&] {
    GiStarCellsOptions gistar = options.gistar;
    if (!(gistar.distance_band_m > 0) && gistar.knn <= 0)
      gistar.distance_band_m = default_band_m(grid.cell_size_m);
    out.gistar = compute_gistar_cells(grid, mask, current.x, current.y, current.weight, gistar);
    out.clusters = gistar_clusters(out.gistar, options.cluster_level, /*cold=*/true,
                                   options.connectivity, current.x, current.y, current.weight);
    out.concentration = compute_concentration(out.gistar.counts, options.concentration, mask);
  };
  const auto patrol = [&] {
    out.patrol = select_patrol_places(current, period_months, study_km2, options.patrol);
  };
  // The three depend on the incidents alone and fill separate fields, so they run side by side
  // (TBB): a group analysed alone keeps both cores busy through each one's serial steps. Each
  // result is the same whatever the thread count; when some fail, the first in this order is
  // rethrown, whichever failed first.
  std::array<std::exception_ptr, 3> failures;
  const auto guarded = [&failures](std::size_t i, const auto& job) {
    return [&failures, i, &job] {
      try {
        job();
      } catch (...) {
        failures[i] = std::current_exception();
      }
    };
  };
  tbb::parallel_invoke(guarded(0, kde_hotspots_and_zones), guarded(1, gistar_and_clusters),
                       guarded(2, patrol));
  // A failure of the zone table (after the hotspots) comes after one of the Gi* cells, as when
  // the steps ran one after the other.
  if (failures[0] && !zones_pending) std::rethrow_exception(failures[0]);
  if (failures[1]) std::rethrow_exception(failures[1]);
  if (failures[0]) std::rethrow_exception(failures[0]);
  if (failures[2]) std::rethrow_exception(failures[2]);
  return out;
}

}  // namespace hotspots
