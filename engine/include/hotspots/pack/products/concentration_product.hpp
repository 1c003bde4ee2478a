// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "hotspots/pack/products/product.hpp"

namespace hotspots {

/// Crime concentration: concentration.csv, one row per group (shares in the top 1/5/10 % of
/// cells, the area holding half).
struct ConcentrationProduct {
  static constexpr std::string_view name = "concentration";
  static constexpr ProductScope scope = ProductScope::pack;
  static constexpr std::array<std::string_view, 1> files{"concentration.csv"};
  static void write(const PackContents& pack, const std::string& dir);
};

}  // namespace hotspots
