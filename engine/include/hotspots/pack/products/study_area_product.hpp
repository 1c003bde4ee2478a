// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "hotspots/pack/products/product.hpp"

namespace hotspots {

/// The study area as a layer: study_area.geojson (one feature: the dissolved boundary features,
/// `name` = the pack's area name, `area_km2`) with an outline-only study_area.qml, a layer of
/// hotspots.qgs.
struct StudyAreaProduct {
  static constexpr std::string_view name = "study_area";
  static constexpr ProductScope scope = ProductScope::pack;
  static constexpr std::array<std::string_view, 2> files{"study_area.geojson", "study_area.qml"};
  static void write(const PackContents& pack, const std::string& dir);
};

}  // namespace hotspots
