// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "hotspots/pack/products/product.hpp"

namespace hotspots {

/// hotspots.qgs: a QGIS project with every layer of the pack, styled.
struct QgisProjectProduct {
  static constexpr std::string_view name = "qgis_project";
  static constexpr ProductScope scope = ProductScope::pack;
  static constexpr std::array<std::string_view, 1> files{"hotspots.qgs"};
  static void write(const PackContents& pack, const std::string& dir);
};

}  // namespace hotspots
