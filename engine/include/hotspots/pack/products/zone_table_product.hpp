// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "hotspots/pack/products/product.hpp"

namespace hotspots {

/// The zone table: zones.csv and zones.geojson, one row per zone with a block of columns per
/// group (incidents, rates, rank, share, change and its test, hotspot share), and a style of the
/// first group's counts.
struct ZoneTableProduct {
  static constexpr std::string_view name = "zone_table";
  static constexpr ProductScope scope = ProductScope::pack;
  static constexpr std::array<std::string_view, 3> files{"zones.csv", "zones.geojson", "zones.qml"};
  static void write(const PackContents& pack, const std::string& dir);
};

}  // namespace hotspots
