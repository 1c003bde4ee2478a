// SPDX-License-Identifier: MIT
#include "hotspots/pack/products/gistar_map_product.hpp"

#include <fmt/format.h>

#include <limits>

#include "hotspots/core/phase_timer.hpp"
#include "hotspots/pack/products/map_product.hpp"
#include "pack/products/product_io.hpp"

namespace hotspots {

std::vector<MapCategory> gistar_bin_categories() {
  return {{3, {215, 48, 39, 255}, "Hot spot – 99% confidence"},
          {2, {252, 141, 89, 255}, "Hot spot – 95% confidence"},
          {1, {254, 224, 144, 255}, "Hot spot – 90% confidence"},
          {0, {232, 232, 232, 255}, "Not significant"},
          {-1, {224, 243, 248, 255}, "Cold spot – 90% confidence"},
          {-2, {145, 191, 219, 255}, "Cold spot – 95% confidence"},
          {-3, {69, 117, 180, 255}, "Cold spot – 99% confidence"}};
}

void GistarMapProduct::write(const PackContents& pack, const GroupResult& group,
                             const std::string& folder) {
  const PackRequest& request = pack.request;
  const GiStarCells& g = group.analysis.gistar;
  Raster bins(request.grid, std::numeric_limits<double>::quiet_NaN());
  for (std::size_t i = 0; i < bins.values.size() && i < g.gi.bin.size(); ++i)
    if (!Raster::is_nodata(g.counts.values[i])) bins.values[i] = g.gi.bin[i];
  MapSpec spec;
  spec.title = map_title(request, group.name);
  spec.subtitle = fmt::format(
      "{} incidents · Getis-Ord Gi* on counts per {:.0f} m cell, distance band {:.0f} m · "
      "{}",
      grouped(group.current_incidents), request.grid.cell_size_m, pack_io::gistar_band_m(request),
      request.options.gistar.fdr ? "bins corrected for false discoveries (FDR)"
                                 : "bins from raw p-values");
  spec.surface = &bins;
  spec.surface_label = "Gi* bin";
  spec.surface_min = -100;  // every bin is drawn
  spec.classing = MapClassing::categories;
  spec.categories = gistar_bin_categories();
  spec.classes_note = "hot: more incidents near the cell than chance";
  add_area_layers(pack, spec);
  set_map_frame(pack, spec);
  write_map_png(pack_io::join(folder, "gistar_map.png"), spec, false);
}

}  // namespace hotspots
