// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "hotspots/pack/products/product.hpp"

namespace hotspots {

/// The group's zone choropleth: zone_map.png, each zone of the study area filled by its class
/// of incidents per 1,000 residents (with --population-field) or of incidents, five classes of
/// equal zone counts (the breaks of zones.qml), YlOrRd; zones whose change from the previous
/// period is significant after the Benjamini–Hochberg correction (zones.csv change_flag_fdr)
/// outlined red (up) or blue (down).
struct ZoneMapProduct {
  static constexpr std::string_view name = "zone_map";
  static constexpr ProductScope scope = ProductScope::group;
  static constexpr std::array<std::string_view, 1> files{"zone_map.png"};
  static constexpr std::array<ProductFigure, 1> figures{
      {{"zone_map.png",
        "Zones by rate (or count), significant rises outlined red and falls blue."}}};
  static void write(const PackContents& pack, const GroupResult& group, const std::string& folder);
};

}  // namespace hotspots
