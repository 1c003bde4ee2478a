// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "hotspots/pack/products/product.hpp"

namespace hotspots {

/// The rows that could not be used: rejects.csv with file, line and reason. Rows outside the
/// period or the crime types, and rows outside the study area unless
/// PackSpec::rejects_list_outside, are only counted (in manifest.json and summary.md).
struct RejectsProduct {
  static constexpr std::string_view name = "rejects";
  static constexpr ProductScope scope = ProductScope::pack;
  static constexpr std::array<std::string_view, 1> files{"rejects.csv"};
  static void write(const PackContents& pack, const std::string& dir);
};

}  // namespace hotspots
