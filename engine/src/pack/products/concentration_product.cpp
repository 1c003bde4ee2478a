// SPDX-License-Identifier: MIT
#include "hotspots/pack/products/concentration_product.hpp"

#include <fmt/format.h>

#include <vector>

#include "pack/products/product_io.hpp"

namespace hotspots {

void ConcentrationProduct::write(const PackContents& pack, const std::string& dir) {
  using pack_io::number;
  std::string text =
      "group,study_cells,cell_area_km2,incidents,share_top1pct,share_top5pct,share_top10pct,"
      "cells_for_half,share_area_for_half,area_km2_for_half,share_cells_with_incidents\n";
  for (const GroupResult& r : pack.request.results) {
    const Concentration& c = r.analysis.concentration;
    if (c.cells == 0) continue;
    std::vector<std::string> tops;
    for (const TopCells& t : c.top) tops.push_back(number(t.share_incidents));
    while (tops.size() < 3) tops.emplace_back();
    text += fmt::format("{},{},{},{},{},{},{},{},{},{},{}\n", pack_io::csv_field(r.name), c.cells,
                        number(c.cell_area_km2), number(c.incidents), tops[0], tops[1], tops[2],
                        c.cells_for_target, number(c.share_cells_for_target),
                        number(c.area_km2_for_target), number(c.share_cells_with_incidents));
  }
  pack_io::write_text(pack_io::join(dir, "concentration.csv"), text);
}

}  // namespace hotspots
