// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "hotspots/pack/products/product.hpp"

namespace hotspots {

/// tables.xlsx: one sheet per CSV table the pack's products wrote before it (zones,
/// concentration, rejects, each group's patrol places; product_list.hpp's pack_tables), read
/// back from the CSVs so the cells equal them: numbers as numbers in a format with the CSV's
/// decimals, text as text, the header row bold and frozen with a filter, columns sized to fit;
/// plus a first sheet "About" with the title, period and the licence line.
struct TablesProduct {
  static constexpr std::string_view name = "tables";
  static constexpr ProductScope scope = ProductScope::pack;
  static constexpr bool gathers = true;
  static constexpr std::array<std::string_view, 1> files{"tables.xlsx"};
  static void write(const PackContents& pack, const std::string& dir);
};

}  // namespace hotspots
