// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "hotspots/pack/products/product.hpp"

namespace hotspots {

/// The group's monthly trend: trend.png, incidents per month of the period and, beside each
/// month, the same month of the previous period (when the inputs cover it), with the licence
/// line. Undated incidents: no chart is written.
struct TrendProduct {
  static constexpr std::string_view name = "trend";
  static constexpr ProductScope scope = ProductScope::group;
  static constexpr std::array<std::string_view, 1> files{"trend.png"};
  static constexpr std::array<ProductFigure, 1> figures{
      {{"trend.png", "Incidents per month beside the same months of the previous period."}}};
  static void write(const PackContents& pack, const GroupResult& group, const std::string& folder);
};

}  // namespace hotspots
