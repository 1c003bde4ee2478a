// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "hotspots/pack/products/product.hpp"

namespace hotspots {

/// The KDE hotspots: hotspots.geojson (ranked polygons, hot_area_fields() with the zones each
/// overlaps) and its style.
struct HotspotsProduct {
  static constexpr std::string_view name = "hotspots";
  static constexpr ProductScope scope = ProductScope::group;
  static constexpr std::array<std::string_view, 2> files{"hotspots.geojson", "hotspots.qml"};
  static void write(const PackContents& pack, const GroupResult& group, const std::string& folder);
};

}  // namespace hotspots
