// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "hotspots/pack/products/product.hpp"

namespace hotspots {

/// The KDE surface: density.tif (incidents per km², NaN outside the study area, metadata:
/// group, period, kernel, radius and its source, cell size, incidents, CRS) and its style with
/// the map's classes.
struct DensityProduct {
  static constexpr std::string_view name = "density";
  static constexpr ProductScope scope = ProductScope::group;
  static constexpr std::array<std::string_view, 2> files{"density.tif", "density.qml"};
  static void write(const PackContents& pack, const GroupResult& group, const std::string& folder);
};

}  // namespace hotspots
