// SPDX-License-Identifier: MIT
#include "hotspots/hotspots/hot_areas.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <tuple>

namespace hotspots {

std::vector<HotArea> summarise_hot_areas(const Raster& values, const CellRegions& regions,
                                         const std::vector<double>& x, const std::vector<double>& y,
                                         const std::vector<double>& weight,
                                         std::int64_t study_cells, double total_weight) {
  const GridSpec& g = values.grid;
  std::vector<HotArea> areas(static_cast<std::size_t>(regions.count));
  for (std::int32_t r = 0; r < regions.count; ++r) areas[static_cast<std::size_t>(r)].region = r;
  for (std::int64_t i = 0; i < g.cell_count(); ++i) {
    const std::int32_t r = regions.label[static_cast<std::size_t>(i)];
    if (r < 0) continue;
    HotArea& a = areas[static_cast<std::size_t>(r)];
    const double v = values.values[static_cast<std::size_t>(i)];
    a.peak_value = a.cells == 0 ? v : std::max(a.peak_value, v);
    a.mean_value += v;
    a.centroid.x += g.centre_x(i % g.cols);
    a.centroid.y += g.centre_y(i / g.cols);
    a.cell_indices.push_back(i);
    ++a.cells;
  }
  for (std::size_t i = 0; i < x.size(); ++i) {
    const std::int64_t row = g.row_of(y[i]);
    const std::int64_t col = g.col_of(x[i]);
    if (!g.contains_cell(row, col)) continue;
    const std::int32_t r = regions.label[static_cast<std::size_t>(g.index(row, col))];
    if (r >= 0) areas[static_cast<std::size_t>(r)].incidents += weight.empty() ? 1.0 : weight[i];
  }
  const double cell_km2 = g.cell_size_m * g.cell_size_m / 1e6;
  for (auto& a : areas) {
    if (a.cells == 0) continue;
    const double n = static_cast<double>(a.cells);
    a.mean_value /= n;
    a.centroid = {a.centroid.x / n, a.centroid.y / n};
    a.area_km2 = n * cell_km2;
    a.share_area = study_cells > 0 ? n / static_cast<double>(study_cells) : 0.0;
    a.share_incidents = total_weight > 0 ? a.incidents / total_weight : 0.0;
    a.pai = a.share_area > 0 ? a.share_incidents / a.share_area : 0.0;
  }
  std::stable_sort(areas.begin(), areas.end(), [](const HotArea& a, const HotArea& b) {
    return std::make_tuple(-a.incidents, -a.peak_value, a.region) <
           std::make_tuple(-b.incidents, -b.peak_value, b.region);
  });
  for (std::size_t i = 0; i < areas.size(); ++i) {
    areas[i].rank = static_cast<int>(i + 1);
    areas[i].outline = region_outline(g, regions, areas[i].region);
  }
  return areas;
}

OversizeHotAreas oversize_hot_areas(const std::vector<HotArea>& areas, double max_km2) {
  OversizeHotAreas out;
  double largest = 0;
  int largest_rank = 0;
  for (const HotArea& a : areas) {
    if (!(a.area_km2 > max_km2)) continue;
    out.ranks.push_back(a.rank);
    if (a.area_km2 > largest) largest = a.area_km2, largest_rank = a.rank;
  }
  if (out.ranks.empty()) return out;
  out.warning = fmt::format(
      "{} KDE hotspot{} larger than the neighbourhood scale of {:g} km2 (the largest, hotspot {}, "
      "covers {:.2f} km2): too large to patrol as one place; use the patrol places, or a smaller "
      "--radius/--cell-size or --top-percent",
      out.ranks.size(), out.ranks.size() == 1 ? " is" : "s are", max_km2, largest_rank, largest);
  return out;
}

}  // namespace hotspots
