// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "hotspots/pack/products/product.hpp"

namespace hotspots {

/// summary.md: key figures, each group's map, patrol list and top zones, and the methods, fit
/// to paste into a bid.
struct SummaryProduct {
  static constexpr std::string_view name = "summary";
  static constexpr ProductScope scope = ProductScope::pack;
  static constexpr std::array<std::string_view, 1> files{"summary.md"};
  static void write(const PackContents& pack, const std::string& dir);
};

}  // namespace hotspots
