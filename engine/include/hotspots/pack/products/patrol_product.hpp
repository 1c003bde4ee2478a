// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "hotspots/pack/products/product.hpp"

namespace hotspots {

/// The patrol list: patrol.csv, one row per place in patrol order with its hotspot rank, centroid
/// (analysis CRS and lon/lat), area, incidents, PAI, zones and time profile.
struct PatrolProduct {
  static constexpr std::string_view name = "patrol";
  static constexpr ProductScope scope = ProductScope::group;
  static constexpr std::array<std::string_view, 1> files{"patrol.csv"};
  static void write(const PackContents& pack, const GroupResult& group, const std::string& folder);
};

}  // namespace hotspots
