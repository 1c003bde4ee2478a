// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "hotspots/pack/products/product.hpp"
#include "hotspots/render/map_png.hpp"

namespace hotspots {

/// The group's Gi* map: gistar_map.png, every study-area cell in its Gi* confidence bin (the
/// pack's bins, FDR-corrected unless turned off) in ArcGIS's hot/cold colours (99/95/90 %),
/// not-significant cells light grey; boundary, zones, title, legend, scale bar, north arrow and
/// licence line as map.png.
struct GistarMapProduct {
  static constexpr std::string_view name = "gistar_map";
  static constexpr ProductScope scope = ProductScope::group;
  static constexpr std::array<std::string_view, 1> files{"gistar_map.png"};
  static constexpr std::array<ProductFigure, 1> figures{
      {{"gistar_map.png",
        "Getis-Ord Gi* hot and cold spots of the cell counts at 99, 95 and 90 % confidence."}}};
  static void write(const PackContents& pack, const GroupResult& group, const std::string& folder);
};

/// The Gi* bin categories of the map, hot 99 % first: ArcGIS Hot Spot Analysis colours
/// (#d73027, #fc8d59, #fee090, light grey, #e0f3f8, #91bfdb, #4575b4), as the .qml of
/// gistar_cells (qgis_style.hpp GiBinStyle).
[[nodiscard]] std::vector<MapCategory> gistar_bin_categories();

}  // namespace hotspots
