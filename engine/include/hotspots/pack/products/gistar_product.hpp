// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "hotspots/pack/products/product.hpp"

namespace hotspots {

/// Getis-Ord Gi*: gistar_z.tif (z-scores), gistar_cells.geojson (cells with a Gi* bin or a
/// local Moran quadrant) and gistar_clusters.geojson, with their styles.
struct GistarProduct {
  static constexpr std::string_view name = "gistar";
  static constexpr ProductScope scope = ProductScope::group;
  static constexpr std::array<std::string_view, 5> files{
      "gistar_z.tif", "gistar_cells.geojson", "gistar_cells.qml", "gistar_clusters.geojson",
      "gistar_clusters.qml"};
  static void write(const PackContents& pack, const GroupResult& group, const std::string& folder);
};

}  // namespace hotspots
