// SPDX-License-Identifier: MIT
#include "hotspots/pack/products/concentration_product.hpp"

#include <fmt/format.h>

#include <vector>

#include "hotspots/io/csv_text.hpp"
#include "pack/products/product_io.hpp"

namespace hotspots {

void ConcentrationProduct::write(const PackContents& pack, const std::string& dir) {
  // Percentages 0-100 in the "_pct" columns, named after the shares asked for
  // (ConcentrationOptions::top_percent, target_share).
  const ConcentrationOptions& o = pack.request.options.concentration;
  std::string text = fmt::format("{}group,study_cells,cell_area_km2,incidents", kCsvBom);
  for (const double p : o.top_percent) text += fmt::format(",incidents_pct_top{:g}pct_cells", p);
  const std::string target = fmt::format("{:g}pct", 100 * o.target_share);
  text += fmt::format(",cells_for_{0},area_pct_for_{0},area_km2_for_{0},cells_with_incidents_pct\n",
                      target);
  for (const GroupResult& r : pack.request.results) {
    const Concentration& c = r.analysis.concentration;
    if (c.cells == 0) continue;
    std::string tops;
    for (std::size_t k = 0; k < o.top_percent.size(); ++k) {
      tops += ',';
      if (k < c.top.size()) tops += csv_percent(c.top[k].share_incidents);
    }
    text += fmt::format("{},{},{},{}{},{},{},{},{}\n", pack_io::csv_field(r.name), c.cells,
                        csv_rounded(c.cell_area_km2, 6), csv_rounded(c.incidents, 2), tops,
                        c.cells_for_target, csv_percent(c.share_cells_for_target),
                        csv_rounded(c.area_km2_for_target, 4),
                        csv_percent(c.share_cells_with_incidents));
  }
  pack_io::write_text(pack_io::join(dir, "concentration.csv"), text);
}

}  // namespace hotspots
