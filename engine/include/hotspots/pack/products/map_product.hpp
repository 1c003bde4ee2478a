// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "hotspots/pack/products/product.hpp"

namespace hotspots {

/// The group's map: map.png, the density in the map's quantile classes, zones, boundary and the
/// ranked hotspots outlined.
struct MapProduct {
  static constexpr std::string_view name = "map";
  static constexpr ProductScope scope = ProductScope::group;
  static constexpr std::array<std::string_view, 1> files{"map.png"};
  static void write(const PackContents& pack, const GroupResult& group, const std::string& folder);
};

}  // namespace hotspots
