// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hotspots/core/geometry.hpp"
#include "hotspots/core/grid.hpp"
#include "hotspots/hotspots/cell_regions.hpp"

namespace hotspots {

/// One contiguous hot area (a KDE hotspot or a Gi* cluster) with the figures analysts rank by.
struct HotArea {
  std::int32_t region = -1;  ///< label in the CellRegions it came from
  int rank = 0;              ///< 1 = most incidents inside
  MultiPolygon outline;      ///< exact cell-edge outline, analysis CRS
  std::int64_t cells = 0;
  double incidents = 0;        ///< Σ weight of the incidents whose cell is in the area
  double share_incidents = 0;  ///< incidents / all incidents in the study area
  double area_km2 = 0;
  double share_area = 0;  ///< area / study area
  double pai =
      0;  ///< Predictive Accuracy Index (Chainey et al. 2008): share_incidents / share_area
  double peak_value = 0;  ///< largest cell value
  double mean_value = 0;  ///< mean cell value
  Point centroid;         ///< mean of the cell centres (lies in the area for compact shapes)
  std::vector<std::int64_t> cell_indices;  ///< row-major cell indices, ascending
};

/// The hotspots larger than `max_km2` (kNeighbourhoodScaleKm2 in units/grid_policy.hpp by
/// default), in rank order, and a sentence saying so for stderr, the summary and the manifest
/// ("" when there is none): a top-percent rule selects a share of the study area, so on a large
/// boundary one hotspot can be a whole town. O(areas).
struct OversizeHotAreas {
  std::vector<int> ranks;
  std::string warning;
};
[[nodiscard]] OversizeHotAreas oversize_hot_areas(const std::vector<HotArea>& areas,
                                                  double max_km2);

/// Figures for every region of `regions`: incidents are binned to cells (the cell-edge rule of
/// GridSpec::col_of/row_of), `values` gives peak and mean, `study_cells` the study area's size in
/// cells. Ranked by incidents, then peak value, then position: deterministic.
/// Complexity: O(points + cells).
[[nodiscard]] std::vector<HotArea> summarise_hot_areas(
    const Raster& values, const CellRegions& regions, const std::vector<double>& x,
    const std::vector<double>& y, const std::vector<double>& weight, std::int64_t study_cells,
    double total_weight);

}  // namespace hotspots
