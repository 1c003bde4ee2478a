// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "hotspots/pack/products/product.hpp"

namespace hotspots {

/// The patrol places (tables/patrol_places.hpp): patrol.csv, one row per place with its id,
/// centre (analysis CRS and lon/lat), radius, incidents, per month, share, PAI, top Location
/// names, recording-location flag, crime types and time profile; patrol.geojson, the places as
/// circles with the same ids (the labels of map.png), and its QGIS style patrol.qml (outlines
/// labelled with patrol_id).
struct PatrolProduct {
  static constexpr std::string_view name = "patrol";
  static constexpr ProductScope scope = ProductScope::group;
  static constexpr std::array<std::string_view, 3> files{"patrol.csv", "patrol.geojson",
                                                         "patrol.qml"};
  static void write(const PackContents& pack, const GroupResult& group, const std::string& folder);
};

}  // namespace hotspots
