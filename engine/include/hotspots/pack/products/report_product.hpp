// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "hotspots/pack/products/product.hpp"

namespace hotspots {

/// report.pdf (A4, cairo) and report.html (one self-contained page): the title page with the
/// area, period, groups and key figures, every figure the pack's products declare (today each
/// group's map), the patrol places and top zones, the methods and the caveats, with the licence
/// line on every page. Both are drawn from one ReportDocument (pack/report_document.hpp).
struct ReportProduct {
  static constexpr std::string_view name = "report";
  static constexpr ProductScope scope = ProductScope::pack;
  static constexpr bool gathers = true;
  static constexpr std::array<std::string_view, 2> files{"report.pdf", "report.html"};
  static void write(const PackContents& pack, const std::string& dir);
};

}  // namespace hotspots
