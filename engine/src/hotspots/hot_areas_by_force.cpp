// SPDX-License-Identifier: MIT
#include "hotspots/hotspots/hot_areas_by_force.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "hotspots/core/error.hpp"

namespace hotspots {
namespace {

// The rows and columns of `whole` whose cells lie within `reach` metres of the points' box.
GridSpec window_of(const GridSpec& whole, const std::vector<double>& x,
                   const std::vector<double>& y, double reach) {
  double xmin = std::numeric_limits<double>::infinity(), xmax = -xmin;
  double ymin = xmin, ymax = -xmin;
  for (std::size_t i = 0; i < x.size(); ++i) {
    xmin = std::min(xmin, x[i]);
    xmax = std::max(xmax, x[i]);
    ymin = std::min(ymin, y[i]);
    ymax = std::max(ymax, y[i]);
  }
  const std::int64_t c0 = std::max<std::int64_t>(0, whole.col_of(xmin - reach));
  const std::int64_t c1 = std::min<std::int64_t>(whole.cols - 1, whole.col_of(xmax + reach));
  const std::int64_t r0 = std::max<std::int64_t>(0, whole.row_of(ymax + reach));
  const std::int64_t r1 = std::min<std::int64_t>(whole.rows - 1, whole.row_of(ymin - reach));
  GridSpec w;
  w.cell_size_m = whole.cell_size_m;
  if (c1 < c0 || r1 < r0) return w;  // no cell: cols = rows = 0
  // Offsets by whole cells keep the window's cells those of the whole grid (same edges).
  w.xmin = whole.xmin + static_cast<double>(c0) * whole.cell_size_m;
  w.ymax = whole.ymax - static_cast<double>(r0) * whole.cell_size_m;
  w.cols = c1 - c0 + 1;
  w.rows = r1 - r0 + 1;
  return w;
}

}  // namespace

std::size_t forces_present(const Incidents& incidents) {
  std::vector<bool> seen(incidents.force_keys.size(), false);
  std::size_t n = 0;
  for (std::size_t i = 0; i < incidents.size(); ++i) {
    const std::int16_t f = incidents.force_of(i);
    if (f >= 0 && !seen[static_cast<std::size_t>(f)]) {
      seen[static_cast<std::size_t>(f)] = true;
      ++n;
    }
  }
  return n;
}

std::vector<ForceHotAreas> hot_areas_by_force(const Incidents& incidents, const GridSpec& whole,
                                              const ForceHotAreasOptions& options,
                                              const std::function<void(double)>& progress) {
  options.kde.validate();
  if (options.kde.output != OutputValue::density)
    throw InvalidArgument("hot_areas_by_force: kde.output must be density");
  const std::size_t forces = incidents.force_keys.size();
  // Incidents of each force (index forces = "unknown").
  std::vector<std::vector<std::size_t>> members(forces + 1);
  for (std::size_t i = 0; i < incidents.size(); ++i) {
    const std::int16_t f = incidents.force_of(i);
    members[f >= 0 ? static_cast<std::size_t>(f) : forces].push_back(i);
  }
  std::vector<ForceHotAreas> out;
  std::size_t done = 0;
  for (std::size_t f = 0; f <= forces; ++f) {
    const auto& own = members[f];
    if (own.empty()) continue;
    WeightedPoints points;
    for (std::size_t i : own) {
      points.x.push_back(incidents.x[i]);
      points.y.push_back(incidents.y[i]);
      points.w.push_back(incidents.weight[i]);
    }
    ForceHotAreas r;
    r.force = f < forces ? incidents.force_keys[f] : "unknown";
    r.grid = window_of(whole, points.x, points.y, options.kde.radius_m);
    r.incidents = static_cast<std::int64_t>(own.size());
    for (double w : points.w) r.weight += w;
    done += own.size();
    if (r.grid.cell_count() == 0) {
      if (progress) progress(static_cast<double>(done) / static_cast<double>(incidents.size()));
      continue;
    }
    // The ranked cells: within one radius of an own incident (the kernel is 0 beyond it).
    CellMask ranked;
    ranked.grid = r.grid;
    {
      const Raster near = estimate_density(points, r.grid, options.kde);
      ranked.inside.resize(near.values.size());
      for (std::size_t c = 0; c < near.values.size(); ++c)
        ranked.inside[c] = near.values[c] > 0 ? 1 : 0;
    }
    r.ranked_cells = ranked.count_inside();
    // Every other incident within reach of a ranked cell is smoothed as well (in input order
    // after the force's own, as with_edge_points orders a study area's edge incidents).
    const auto reach =
        within_reach_of_cells(incidents.x, incidents.y, r.grid, &ranked, options.kde.radius_m);
    WeightedPoints smoothing = points;
    for (std::size_t i = 0; i < incidents.size(); ++i) {
      const std::int16_t fi = incidents.force_of(i);
      const std::size_t group = fi >= 0 ? static_cast<std::size_t>(fi) : forces;
      if (!reach[i] || group == f) continue;
      smoothing.x.push_back(incidents.x[i]);
      smoothing.y.push_back(incidents.y[i]);
      smoothing.w.push_back(incidents.weight[i]);
      ++r.edge_incidents;
    }
    const Raster surface = estimate_density(smoothing, r.grid, options.kde, &ranked);
    const HotRule rule =
        options.rule == HotRule::top_percent_near_data ? HotRule::top_percent : options.rule;
    const auto hot = select_hot_cells(surface, rule, options.parameter);
    r.hot_cells = std::count(hot.begin(), hot.end(), std::uint8_t{1});
    const CellRegions regions = label_regions(r.grid, hot, options.connectivity);
    r.areas = summarise_hot_areas(surface, regions, points.x, points.y, points.w, r.ranked_cells,
                                  r.weight);
    for (HotArea& a : r.areas) a.cell_indices.clear();  // not needed past here; can be large
    out.push_back(std::move(r));
    if (progress) progress(static_cast<double>(done) / static_cast<double>(incidents.size()));
  }
  return out;
}

}  // namespace hotspots
