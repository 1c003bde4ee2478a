// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "hotspots/pack/products/product.hpp"
#include "hotspots/render/map_png.hpp"
#include "hotspots/tables/patrol_places.hpp"

namespace hotspots {

/// The group's map: map.png, the density in the map's quantile classes, zones, boundary, the KDE
/// hotspots outlined (unlabelled) and the patrol places as circles labelled with their ids.
struct MapProduct {
  static constexpr std::string_view name = "map";
  static constexpr ProductScope scope = ProductScope::group;
  static constexpr std::array<std::string_view, 1> files{"map.png"};
  static constexpr std::array<ProductFigure, 1> figures{
      {{"map.png",
        "Kernel density of the incidents in quantile classes, the KDE hotspots outlined and the "
        "patrol places circled with their ids."}}};
  static void write(const PackContents& pack, const GroupResult& group, const std::string& folder);
};

/// The map layer of patrol places: one circle per place, labelled with its id (the id of
/// patrol.csv and patrol.geojson), in place order.
[[nodiscard]] MapLayerLines patrol_map_layer(const PatrolPlaces& places);

}  // namespace hotspots
