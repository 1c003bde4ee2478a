// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "hotspots/pack/products/product.hpp"
#include "hotspots/render/qgis_style.hpp"

namespace hotspots {

/// The busiest cells (tables/busiest_cells.hpp): the cells of a kBusiestCellSizeM (100 m)
/// fishnet over the study area ranked by the period's incidents, as far as the KDE hotspots'
/// share of the area (AnalysisOptions::hot_top_percent):
/// busiest_cells.csv (rank, cell_id, centre, count, cumulative area, share of incidents and PAI)
/// and busiest_cells.geojson (the same cells as squares). The hot area that predicted next
/// month's incidents best in the backtests (README, `hotspots evaluate` method `counts` at 100 m
/// cells): a tasking meeting with a budget of X % of the area takes the first cells up to
/// cum_area_pct X. busiest_cells.qml styles the squares in QGIS (busiest_cells_style).
struct BusiestCellsProduct {
  static constexpr std::string_view name = "busiest_cells";
  static constexpr ProductScope scope = ProductScope::group;
  static constexpr std::array<std::string_view, 3> files{
      "busiest_cells.csv", "busiest_cells.geojson", "busiest_cells.qml"};
  static void write(const PackContents& pack, const GroupResult& group, const std::string& folder);
};

/// The QGIS style of a group's busiest cells: graduated on `count` in 5 quantile classes.
[[nodiscard]] LayerStyle busiest_cells_style(const GroupResult& group);

}  // namespace hotspots
