// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "hotspots/pack/products/product.hpp"
#include "hotspots/render/map_png.hpp"
#include "hotspots/tables/patrol_places.hpp"

namespace hotspots {

/// The group's map: map.png over the study area's extent, titled with the area's name; the
/// density in the pack's classes (the darkest one = the KDE hotspots), the zones of the study
/// area, the boundary, the KDE hotspots outlined, the top kLabelledHotspots labelled H1, H2...
/// (hotspots.geojson's rank), and the patrol places as circles labelled with their ids (P1...),
/// every label beside its feature with a leader line.
struct MapProduct {
  static constexpr std::string_view name = "map";
  static constexpr ProductScope scope = ProductScope::group;
  static constexpr std::array<std::string_view, 1> files{"map.png"};
  static constexpr std::array<ProductFigure, 1> figures{
      {{"map.png",
        "Kernel density of the incidents; the darkest class is exactly the KDE hotspots "
        "(outlined, H1...), the patrol places drawn with their ids (P1...)."}}};
  static void write(const PackContents& pack, const GroupResult& group, const std::string& folder);
};

/// How many KDE hotspots map.png labels (H1 … H20, by rank); every patrol place is labelled.
inline constexpr int kLabelledHotspots = 20;

/// A map's title: "Leicester: Anti-social behaviour, 2021-11 to 2022-10" (without the area
/// name when the pack has none).
[[nodiscard]] std::string map_title(const PackRequest& request, const std::string& group);

/// The layers every pack map draws under its own: the zones (when they are not the boundary
/// features), thin grey, and the boundary features, dark.
void add_area_layers(const PackContents& pack, MapSpec& spec);

/// Extent (the study area), basemap and attribution (police.uk licence, version, CRS, basemap
/// file; the basemap's own licence statement on a second line when the spec gives one) of a pack
/// map.
void set_map_frame(const PackContents& pack, MapSpec& spec);

/// The licence statements of what a pack shows: kPoliceUkAttribution, then "Basemap: " and the
/// spec's basemap_attribution when there is one (" · " between them). For the report's pages.
[[nodiscard]] std::string pack_attribution(const PackSpec& spec);

/// The map layer of patrol places: one circle per place, labelled with its id (the id of
/// patrol.csv and patrol.geojson), in place order.
[[nodiscard]] MapLayerLines patrol_map_layer(const PatrolPlaces& places);

}  // namespace hotspots
